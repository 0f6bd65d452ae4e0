/**
 * `pnpm demo:distributed`: the microservices example as four processes over NATS JetStream
 * (or Redis Streams with `--transport redis` or `GOSSIP_TRANSPORT=redis`).
 *
 * Options: `--transport nats|redis`, `--timeout-ms <n>` (the bound on the whole run, 60 s by
 * default), `--json` (print a summary of everything the run saw as the last line, for tests).
 * Exit code 0 when every service saw what it should and stopped cleanly, 1 otherwise, 2 for
 * bad options, 130 when interrupted.
 */
import { parseArgs } from 'node:util';
import { LaunchError, launch } from './launcher.js';
import { transportName } from './protocol.js';

const usage = 'usage: main.ts [--transport nats|redis] [--timeout-ms <n>] [--json]';

function readArgs() {
  try {
    const { values } = parseArgs({
      options: {
        transport: { type: 'string' },
        'timeout-ms': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const transport = transportName.safeParse(
      values.transport ?? process.env.GOSSIP_TRANSPORT ?? 'nats',
    );
    const timeoutMs = Number(values['timeout-ms'] ?? 60_000);
    if (transport.success && Number.isInteger(timeoutMs) && timeoutMs > 0) {
      return { transport: transport.data, timeoutMs, json: values.json };
    }
  } catch {
    // An unknown option: parseArgs throws; the usage line says what is known.
  }
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}

const { transport, timeoutMs, json } = readArgs();
const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort());
process.once('SIGTERM', () => interrupt.abort());

try {
  const summary = await launch({
    transport,
    timeoutMs,
    print: (line) => console.log(line),
    signal: interrupt.signal,
  });
  if (json) console.log(JSON.stringify(summary));
  process.exitCode = 0;
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`\nmicroservices demo failed: ${message}`);
  if (!(error instanceof LaunchError) && error instanceof Error) console.error(error.stack);
  process.exitCode = interrupt.signal.aborted ? 130 : 1;
}
