/**
 * One service as a process of its own:
 *
 * ```sh
 * tsx --conditions=@gossip/source src/distributed/service.ts email --run 1a2b3c4d [--transport redis]
 * ```
 *
 * It makes its own bus from the shared catalogue (`../events.ts`), bridges it to the broker,
 * runs its service module, and reports to the launcher as JSON lines on stdout (see
 * `protocol.ts`). It stops cleanly on SIGTERM, SIGINT or the end of its stdin (the launcher is
 * gone): the bus drains, the bridge settles what it took, the connection closes, exit code 0.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { GossipError, HandlerError, type ShutdownReport } from '@gossip/core';
import type { TraceLogger } from '@gossip/example-trace';
import { withDedupe } from '@gossip/middleware';
import { bridge } from '@gossip/transport';
import { createAppBus } from '../events.js';
import { connectTransport, MAX_ATTEMPTS, namesOf } from './broker.js';
import {
  command,
  parseLine,
  type ServiceMessage,
  type ShutdownCounts,
  serviceName,
  transportName,
} from './protocol.js';
import { startService, wiring } from './wiring.js';
import { witness } from './witness.js';

/** The service to run, its broker and its run, from the command line (or GOSSIP_TRANSPORT). */
function readArgs() {
  const { values, positionals } = parseArgs({
    options: { transport: { type: 'string' }, run: { type: 'string' } },
    allowPositionals: true,
  });
  const name = serviceName.safeParse(positionals[0]);
  const transport = transportName.safeParse(
    values.transport ?? process.env.GOSSIP_TRANSPORT ?? 'nats',
  );
  if (!name.success || !transport.success || values.run === undefined) {
    process.stderr.write(
      `usage: service.ts <${serviceName.options.join('|')}> --run <id> [--transport ${transportName.options.join('|')}]\n`,
    );
    process.exit(2);
  }
  return { service: name.data, transport: transport.data, run: values.run };
}

const { service, transport, run } = readArgs();

// With the launcher gone, a write fails with EPIPE; there is nobody left to tell.
process.stdout.on('error', () => {});

function send(message: ServiceMessage): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Reports a failure the bus or the transport could not hand back to a caller. */
function reportError(error: unknown): void {
  // A failing handler is reported by the witness, with its event; everything else is news.
  if (error instanceof HandlerError) return;
  const code = error instanceof GossipError ? error.code : 'ERROR';
  send({ kind: 'error', service, code, message: messageOf(error) });
}

const logger: TraceLogger = {
  write(entry) {
    if (entry.kind === 'note' || entry.kind === 'step')
      send({ kind: 'note', service, message: entry.message });
  },
};

async function start() {
  const connection = await connectTransport(transport, namesOf(run), reportError);
  const bus = createAppBus({
    workers: 8,
    middleware: [
      // At least once means a message can come twice (a lost ack, a consumer that died after
      // handling it): each handler runs once per event id.
      withDedupe({
        ttl: 10 * 60_000,
        onDuplicate: (event) =>
          send({
            kind: 'note',
            service,
            message: `skipped a duplicate of ${event.type} ${event.id}`,
          }),
      }),
      witness(service, send),
    ],
    onError: reportError,
  });
  const running = startService(service, bus, logger);
  const options = wiring[service];
  const link = bridge(bus, connection, { ...options, group: service, maxAttempts: MAX_ATTEMPTS });
  await link.ready;
  send({
    kind: 'ready',
    service,
    pid: process.pid,
    transport,
    group: service,
    publish: 'publish' in options ? [...options.publish] : [],
    subscribe: [...options.subscribe],
  });
  return { bus, link, connection, running };
}

const started = start();
const input = createInterface({ input: process.stdin });

let stopping: Promise<void> | undefined;
function stop(): Promise<void> {
  stopping ??= (async () => {
    const { bus, link, connection, running } = await started;
    // The bus first: it drains what it holds, and what its handlers publish meanwhile still
    // goes out through the bridge; a message arriving now is handed back to the broker. Then
    // the bridge, which waits for its last publishes and for the messages it took to be acked
    // or nacked; then the connection.
    const report = await bus.shutdown({ timeout: 5000 });
    await link.close();
    await connection.close();
    input.close();
    send({ kind: 'stopped', service, report: countsOf(report), state: running.state() });
  })();
  return stopping;
}

let exiting = false;
function stopAndExit(): void {
  if (exiting) return;
  exiting = true;
  stop().then(
    () => {
      process.exitCode = 0;
      // Everything is closed, so the process ends by itself; if a handle is left open, say so
      // (the launcher shows stderr) rather than hang.
      setTimeout(() => {
        process.stderr.write('a handle was still open 3 s after stopping; exiting\n');
        process.exit(0);
      }, 3000).unref();
    },
    (error: unknown) => fail(error),
  );
}

function fail(error: unknown): void {
  send({ kind: 'fatal', service, message: messageOf(error) });
  process.exit(1);
}

process.once('SIGTERM', stopAndExit);
process.once('SIGINT', stopAndExit);
input.on('close', stopAndExit);
input.on('line', (line) => {
  const received = parseLine(command, line);
  if (received === undefined) {
    send({ kind: 'error', service, code: 'BAD_COMMAND', message: `not a command: ${line}` });
    return;
  }
  void started
    .then(async ({ running }) => {
      if (running.signUp === undefined) {
        send({
          kind: 'error',
          service,
          code: 'BAD_COMMAND',
          message: `the ${service} service takes no sign-ups`,
        });
        return;
      }
      const userId = await running.signUp(received.name, received.email);
      send({ kind: 'signed-up', service, name: received.name, userId });
    })
    .catch(fail);
});
started.catch(fail);

function countsOf(report: ShutdownReport): ShutdownCounts {
  const { published, delivered, failed, dropped, complete, undelivered } = report;
  return { published, delivered, failed, dropped, complete, undelivered: undelivered.length };
}
