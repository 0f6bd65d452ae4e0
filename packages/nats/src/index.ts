/**
 * A NATS JetStream transport for gossip: one stream per application, a durable pull consumer per
 * group, broker de-duplication by event id, nak with backoff and a dead-letter subject.
 *
 * The guide: docs/transports.md in the repository.
 *
 * @packageDocumentation
 */
export { createNatsTransport, type NatsTransport } from './create-nats-transport.js';
export type { NatsDeadLetter } from './dead-letters.js';
export { NatsErrorCode, NatsTransportError } from './nats-error.js';
export type { NatsTransportOptions } from './nats-transport-options.js';
