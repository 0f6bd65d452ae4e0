/**
 * A gossip transport on Redis Streams: one stream per event type, consumer groups, batched
 * acknowledgements, claiming of a dead consumer's messages and a dead-letter stream.
 *
 * The guide: docs/transports.md in the repository.
 *
 * @packageDocumentation
 */
export { createRedisTransport, type RedisTransport } from './create-redis-transport.js';
export type { RedisDeadLetter } from './dead-letters.js';
export { RedisErrorCode } from './redis-error-code.js';
export { RedisTransportError } from './redis-transport-error.js';
export type { RedisConnection, RedisTransportOptions } from './redis-transport-options.js';
