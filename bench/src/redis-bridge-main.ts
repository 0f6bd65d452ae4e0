import { redisBench } from './bridges/redis-bench.js';
import { benchMain } from './bridges/run-bridges.js';

// `pnpm --filter @gossip/bench redis [--messages=20000] [--rounds=9] [--only=raw-publish,...]`:
// a gossip bridge over @gossip/redis against the raw ioredis client doing the same work
// (pipelined XADD; XREADGROUP with a batched XACK), side by side in one run, on the server at
// REDIS_URL (redis://127.0.0.1:6379 by default). Not part of `pnpm bench`: it needs a server.
// bench/README.md says what each side does; `pnpm --filter @gossip/bench bridges` runs NATS and
// Redis together.
await benchMain([() => redisBench(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')]);
