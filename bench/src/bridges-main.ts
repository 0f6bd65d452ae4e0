import { natsBench } from './bridges/nats-bench.js';
import { onlySides, option } from './bridges/options.js';
import { redisBench } from './bridges/redis-bench.js';
import { loadText, printRun, runBridges } from './bridges/run-bridges.js';

// `pnpm --filter @gossip/bench bridges [--messages=20000] [--rounds=5]`: the NATS and Redis
// bridge benchmarks in one run, round by round (see nats-bridge-main.ts, redis-bridge-main.ts
// and bench/README.md). Needs both servers (.ci/services.sh starts them).
const messages = option('messages', 20_000);
const rounds = option('rounds', 5);

const before = loadText();
const nats = await natsBench(process.env.NATS_URL ?? '127.0.0.1:4222');
const redis = await redisBench(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
try {
  const run = await runBridges(
    [nats, redis],
    messages,
    rounds,
    (line) => console.warn(line),
    onlySides(),
  );
  printRun(run, messages, before);
} finally {
  await nats.close();
  await redis.close();
}
