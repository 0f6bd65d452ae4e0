/**
 * The seam between a gossip bus and a message broker: the Transport interface, the envelope and
 * its codec, and bridge(), which carries a bus's events to a broker and back.
 *
 * The guide: docs/transports.md in the repository.
 *
 * @packageDocumentation
 */
export { type Bridge, bridge } from './bridge.js';
export { type BridgeOptions, exponentialBackoff } from './bridge-settings.js';
export { jsonCodec } from './codec.js';
export { type AttemptOf, deliverMessage, type Settler } from './deliver-message.js';
export type { Codec, Envelope } from './envelope.js';
export {
  createMemoryTransport,
  type MemoryDeadLetter,
  type MemoryTransport,
  type MemoryTransportOptions,
} from './memory-transport.js';
export { MessageLanes } from './message-lanes.js';
export type {
  DeadLetterReason,
  PublishFailure,
  Transport,
  TransportCapabilities,
  TransportMessage,
  TransportSubscribeRequest,
  TransportSubscription,
} from './transport.js';
export { TransportError, TransportErrorCode } from './transport-error.js';
