import { runBrokerProcesses } from './bridges/broker-processes.js';

// `pnpm --filter @gossip/bench bridges [--messages=20000] [--rounds=9] [--warmups=3]`: the NATS
// and Redis bridge benchmarks, each broker in a process of its own (see broker-processes.ts),
// one table for both (see nats-bridge-main.ts, redis-bridge-main.ts and bench/README.md). Needs
// both servers (.ci/services.sh starts them).
await runBrokerProcesses(['nats-bridge-main', 'redis-bridge-main']);
