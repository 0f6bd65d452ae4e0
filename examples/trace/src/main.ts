/** Runs the tracing example and prints both traces: `pnpm start`. */
import { createJsonLogger } from './json-logger.js';
import { createConsoleLogger } from './logger.js';
import { run } from './run.js';

console.log(
  '\n# trace: withTrace and traceBus writing to a pino-shaped logger (one JSON line each)\n',
);
const log = createJsonLogger((line) => console.log(line));
const lines: string[] = [];
// The readable trace is printed after the JSON, so the two do not interleave.
const readable = createConsoleLogger((line) => lines.push(line));
await run(log, readable);
console.log(
  '\n# the same story through the handledLogger and tryLogger adapters, as the other examples print it\n',
);
for (const line of lines) console.log(line);
console.log(`\n${log.lines.length} JSON records.`);
