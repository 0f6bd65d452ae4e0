export { createNatsTransport, type NatsTransport } from './create-nats-transport.js';
export { NatsErrorCode, NatsTransportError } from './nats-error.js';
export type { NatsTransportOptions } from './nats-transport-options.js';
