import { onlySides, option } from './bridges/options.js';
import { redisBench } from './bridges/redis-bench.js';
import { loadText, printRun, runBridges } from './bridges/run-bridges.js';

// `pnpm --filter @gossip/bench redis [--messages=20000] [--rounds=5] [--only=raw-publish,...]`:
// a gossip bridge over @gossip/redis against the raw ioredis client doing the same work
// (pipelined XADD; XREADGROUP with a batched XACK), side by side in one run, on the server at
// REDIS_URL (redis://127.0.0.1:6379 by default). Not part of `pnpm bench`: it needs a server.
// bench/README.md says what each side does; `pnpm --filter @gossip/bench bridges` runs NATS and
// Redis together.
const messages = option('messages', 20_000);
const rounds = option('rounds', 5);

const before = loadText();
const redis = await redisBench(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
try {
  const run = await runBridges(
    [redis],
    messages,
    rounds,
    (line) => console.warn(line),
    onlySides(),
  );
  printRun(run, messages, before);
} finally {
  await redis.close();
}
