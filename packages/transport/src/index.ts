export { jsonCodec } from './codec.js';
export type { Codec, Envelope } from './envelope.js';
export type {
  DeadLetterReason,
  Transport,
  TransportCapabilities,
  TransportMessage,
  TransportSubscribeRequest,
  TransportSubscription,
} from './transport.js';
