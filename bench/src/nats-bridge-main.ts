import { natsBench } from './bridges/nats-bench.js';
import { benchMain } from './bridges/run-bridges.js';

// `pnpm --filter @gossip/bench nats [--messages=20000] [--rounds=9] [--only=raw-publish,...]`:
// a gossip bridge over @gossip/nats against the raw NATS client doing the same work (publish
// with ack; consume with ack), side by side in one run, on the server at NATS_URL
// (127.0.0.1:4222 by default). Not part of `pnpm bench`: it needs a server. bench/README.md says
// what each side does; `pnpm --filter @gossip/bench bridges` runs NATS and Redis together.
await benchMain([() => natsBench(process.env.NATS_URL ?? '127.0.0.1:4222')]);
