import { randomUUID } from 'node:crypto';
import { createEventBus, defineEvents } from '@gossip/core';
import { createNatsTransport } from '@gossip/nats';
import { bridge, jsonCodec } from '@gossip/transport';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers } from '@nats-io/transport-node';
import { z } from 'zod';

// `pnpm --filter @gossip/bench nats [--messages=20000] [--rounds=3]`: throughput of a gossip
// bridge over @gossip/nats against the raw NATS client doing the same work, side by side in one
// run, on the server at NATS_URL (127.0.0.1:4222 by default). Not part of `pnpm bench`: it needs
// a server. Publish: every message stored with a broker ack and a msg id (the raw client keeps
// WINDOW publishes in flight; the bridge forwards each bus.publish as it happens). Consume: a
// stream filled beforehand, read by a durable pull consumer, every message acked (the bridge
// also decodes, validates and dispatches each to a handler on the bus).
const args = process.argv.slice(2);
const option = (name: string, fallback: number): number =>
  Number(args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const MESSAGES = option('messages', 20_000);
const ROUNDS = option('rounds', 3);
const WINDOW = 256;
const SERVERS = process.env.NATS_URL ?? '127.0.0.1:4222';
const TIMEOUT = 120_000;

const events = defineEvents({
  'bench.order.placed': z.object({ orderId: z.string(), amount: z.number() }),
});
const payloadOf = (i: number) => ({ orderId: `o${i}`, amount: i });

interface Names {
  readonly stream: string;
  readonly prefix: string;
}

function names(): Names {
  const suffix = randomUUID().slice(0, 8);
  return { stream: `GOSSIP_BENCH_${suffix}`, prefix: `gb${suffix}` };
}

async function withStream<T>(run: (names: Names) => Promise<T>): Promise<T> {
  const made = names();
  const nc = await connect({ servers: SERVERS, noAsyncTraces: true });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({
    name: made.stream,
    subjects: [`${made.prefix}.>`, `${made.prefix}-dlq.>`],
  });
  try {
    return await run(made);
  } finally {
    await jsm.streams.delete(made.stream).catch(() => false);
    await nc.close();
  }
}

async function bounded(what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + TIMEOUT;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not done in ${TIMEOUT} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Publishes `count` messages with the raw client, WINDOW in flight, each with its own headers. */
async function rawPublish({ prefix }: Names, count: number): Promise<void> {
  const nc = await connect({ servers: SERVERS, noAsyncTraces: true });
  const js = jetstream(nc);
  const subject = `${prefix}.bench.order.placed`;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const h = headers();
      h.set('Gossip-Type', 'bench.order.placed');
      await js.publish(subject, jsonCodec.encode(payloadOf(i)), {
        msgID: randomUUID(),
        headers: h,
      });
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, worker));
  await nc.close();
}

async function bridgePublish({ stream, prefix }: Names, count: number): Promise<void> {
  const transport = await createNatsTransport({ servers: SERVERS, stream, subjectPrefix: prefix });
  const bus = createEventBus({ schemas: events });
  const link = bridge(bus, transport, { publish: ['bench.**'] });
  for (let i = 0; i < count; i++) await bus.publish('bench.order.placed', payloadOf(i));
  await link.close(); // waits for every forwarded publish's broker ack
  await bus.shutdown();
  await transport.close();
}

async function rawConsume({ stream, prefix }: Names, count: number): Promise<void> {
  const nc = await connect({ servers: SERVERS, noAsyncTraces: true });
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.add(stream, {
    durable_name: 'raw',
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: `${prefix}.>`,
  });
  const consumer = await jetstream(nc).consumers.get(stream, 'raw');
  const messages = await consumer.consume();
  let seen = 0;
  for await (const msg of messages) {
    jsonCodec.decode(msg.data);
    msg.ack();
    if (++seen === count) break;
  }
  await nc.flush();
  await nc.close();
}

async function bridgeConsume({ stream, prefix }: Names, count: number): Promise<void> {
  const transport = await createNatsTransport({
    servers: SERVERS,
    stream,
    subjectPrefix: prefix,
    deliverPolicy: 'all',
  });
  const bus = createEventBus({ schemas: events });
  let seen = 0;
  bus.subscribe('bench.order.placed', () => {
    seen++;
  });
  const link = bridge(bus, transport, { subscribe: ['bench.**'], group: 'bridge' });
  await link.ready;
  await bounded('bridge consume', () => seen >= count);
  await link.close();
  await bus.shutdown();
  await transport.close();
}

async function timed(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return MESSAGES / ((performance.now() - start) / 1000);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const results = {
  rawPublish: [] as number[],
  bridgePublish: [] as number[],
  rawConsume: [] as number[],
  bridgeConsume: [] as number[],
};
for (let round = 1; round <= ROUNDS; round++) {
  // Alternate which side goes first, so that drift over the run does not favour one.
  const order = round % 2 === 1 ? (['raw', 'bridge'] as const) : (['bridge', 'raw'] as const);
  for (const side of order) {
    await withStream(async (made) => {
      const publish = side === 'raw' ? rawPublish : bridgePublish;
      results[`${side}Publish`].push(await timed(() => publish(made, MESSAGES)));
    });
    await withStream(async (made) => {
      await rawPublish(made, MESSAGES);
      const consume = side === 'raw' ? rawConsume : bridgeConsume;
      results[`${side}Consume`].push(await timed(() => consume(made, MESSAGES)));
    });
  }
  process.stderr.write(`round ${round}/${ROUNDS} done\n`);
}

const rows = [
  ['publish with ack', median(results.rawPublish), median(results.bridgePublish)],
  ['consume with ack', median(results.rawConsume), median(results.bridgeConsume)],
] as const;
process.stdout.write(
  `NATS at ${SERVERS}, ${MESSAGES} messages, median of ${ROUNDS} rounds (msgs/s)\n`,
);
process.stdout.write('scenario          raw       bridge    bridge/raw  target 0.80\n');
for (const [name, raw, bridged] of rows) {
  const ratio = bridged / raw;
  process.stdout.write(
    `${name.padEnd(17)} ${raw.toFixed(0).padStart(8)}  ${bridged.toFixed(0).padStart(8)}  ${ratio.toFixed(2).padStart(10)}  ${ratio >= 0.8 ? 'met' : 'missed'}\n`,
  );
}
