/** Runs the schema evolution example and prints what happens: `pnpm start`. */
import { run } from './run.js';

console.log(
  '\n# schema-evolution: order.placed v1 -> v2 -> v3, a refused v4, v1 payloads replayed\n',
);
await run((line) => console.log(line));
