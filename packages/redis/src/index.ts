export {
  createRedisTransport,
  type RedisDeadLetter,
  type RedisTransport,
} from './create-redis-transport.js';
export { RedisErrorCode } from './redis-error-code.js';
export { RedisTransportError } from './redis-transport-error.js';
export type { RedisConnection, RedisTransportOptions } from './redis-transport-options.js';
