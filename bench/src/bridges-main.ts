import { natsBench } from './bridges/nats-bench.js';
import { redisBench } from './bridges/redis-bench.js';
import { benchMain } from './bridges/run-bridges.js';

// `pnpm --filter @gossip/bench bridges [--messages=20000] [--rounds=5]`: the NATS and Redis
// bridge benchmarks in one run, round by round (see nats-bridge-main.ts, redis-bridge-main.ts
// and bench/README.md). Needs both servers (.ci/services.sh starts them).
await benchMain([
  () => natsBench(process.env.NATS_URL ?? '127.0.0.1:4222'),
  () => redisBench(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'),
]);
