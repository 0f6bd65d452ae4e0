import { natsBench } from './bridges/nats-bench.js';
import { onlySides, option } from './bridges/options.js';
import { loadText, printRun, runBridges } from './bridges/run-bridges.js';

// `pnpm --filter @gossip/bench nats [--messages=20000] [--rounds=5] [--only=raw-publish,...]`:
// a gossip bridge over @gossip/nats against the raw NATS client doing the same work (publish
// with ack; consume with ack), side by side in one run, on the server at NATS_URL
// (127.0.0.1:4222 by default). Not part of `pnpm bench`: it needs a server. bench/README.md says
// what each side does; `pnpm --filter @gossip/bench bridges` runs NATS and Redis together.
const messages = option('messages', 20_000);
const rounds = option('rounds', 5);

const before = loadText();
const nats = await natsBench(process.env.NATS_URL ?? '127.0.0.1:4222');
try {
  const run = await runBridges([nats], messages, rounds, (line) => console.warn(line), onlySides());
  printRun(run, messages, before);
} finally {
  await nats.close();
}
