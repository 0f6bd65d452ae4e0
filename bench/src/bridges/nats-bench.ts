import { randomUUID } from 'node:crypto';
import { createNatsTransport, type NatsTransport } from '@gossip/nats';
import { jsonCodec } from '@gossip/transport';
import {
  AckPolicy,
  DeliverPolicy,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, headers } from '@nats-io/transport-node';
import { bridgeConsumeSide, bridgePublishSide, fillThroughBridge, WINDOW } from './bridge-sides.js';
import { startedNow, turnNow } from './measure.js';
import { type BrokerBench, EVENT_TYPE, payloadOf } from './scenario.js';

/**
 * The headers @gossip/nats writes for an event published on a bus with schemas, written by
 * hand: the raw client stores the same bytes as the bridge (storedBytes checks it).
 */
function rawHeaders(): ReturnType<typeof headers> {
  const h = headers();
  h.append('Gossip-Timestamp', String(Date.now()));
  h.append('Gossip-Schema-Version', '1');
  h.append('Content-Type', 'application/json');
  return h;
}

interface Stream {
  readonly stream: string;
  readonly prefix: string;
  readonly subject: string;
}

/** The NATS sides: each run gets a fresh stream, deleted at teardown. */
export async function natsBench(
  servers: string,
): Promise<BrokerBench & { close(): Promise<void> }> {
  const admin = await connect({ servers, noAsyncTraces: true });
  const jsm = await jetstreamManager(admin);
  const version = admin.info?.version ?? 'unknown';
  const bytes = { raw: Number.NaN, bridge: Number.NaN };

  async function freshStream(): Promise<Stream> {
    const suffix = randomUUID().slice(0, 8);
    const made = { stream: `GOSSIP_BENCH_${suffix}`, prefix: `gb${suffix}` };
    await jsm.streams.add({
      name: made.stream,
      subjects: [`${made.prefix}.>`, `${made.prefix}-dlq.>`],
    });
    return { ...made, subject: `${made.prefix}.${EVENT_TYPE}` };
  }

  const dropStream = (stream: Stream) => jsm.streams.delete(stream.stream).catch(() => false);

  const bytesPerMessage = async (stream: Stream): Promise<number> => {
    const { state } = await jsm.streams.info(stream.stream);
    return state.bytes / state.messages;
  };

  /** Fills a stream with `count` events as the transport stores them, for the consume runs. */
  async function filledStream(count: number): Promise<Stream> {
    const stream = await freshStream();
    await fillThroughBridge(await transportOf(stream), count);
    return stream;
  }

  const transportOf = (stream: Stream): Promise<NatsTransport> =>
    createNatsTransport({
      servers,
      stream: stream.stream,
      subjectPrefix: stream.prefix,
      deliverPolicy: 'all',
    });

  return {
    name: `NATS JetStream ${version}`,

    // Raw: WINDOW js.publish calls in flight, each with fresh headers and a msg id; timed from
    // the call to the stored ack.
    async rawPublish(count) {
      const stream = await freshStream();
      const nc = await connect({ servers, noAsyncTraces: true });
      const js = jetstream(nc);
      return {
        async run(latencies) {
          let next = 0;
          const worker = async (): Promise<void> => {
            while (next < count) {
              const i = next++;
              const start = turnNow();
              await js.publish(stream.subject, jsonCodec.encode(payloadOf(i)), {
                msgID: randomUUID(),
                headers: rawHeaders(),
              });
              latencies.add(turnNow() - start);
            }
          };
          await Promise.all(Array.from({ length: WINDOW }, worker));
          return undefined;
        },
        async teardown() {
          await nc.close();
          bytes.raw = await bytesPerMessage(stream);
          await dropStream(stream);
        },
      };
    },

    // Bridge: see bridgePublishSide.
    async bridgePublish(count) {
      const stream = await freshStream();
      return bridgePublishSide(await transportOf(stream), count, async () => {
        bytes.bridge = await bytesPerMessage(stream);
        await dropStream(stream);
      });
    },

    // Raw: a durable pull consumer with explicit acks read through consume() (the client's
    // default batch), each message decoded and acked; timed per message from the hand-over to
    // the ack.
    async rawConsume(count) {
      const stream = await filledStream(count);
      const nc = await connect({ servers, noAsyncTraces: true });
      return {
        async run(latencies) {
          await rawConsumer(jsm, stream, 'raw');
          const consumer = await jetstream(nc).consumers.get(stream.stream, 'raw');
          const messages = await consumer.consume();
          // Timed from here, as the bridge is timed from its subscription being ready.
          const started = startedNow();
          let seen = 0;
          for await (const msg of messages) {
            const handed = turnNow();
            jsonCodec.decode(msg.data);
            msg.ack();
            latencies.add(performance.now() - handed);
            if (++seen === count) break;
          }
          await nc.flush();
          return started;
        },
        async teardown() {
          await nc.close();
          await dropStream(stream);
        },
      };
    },

    // Bridge: see bridgeConsumeSide.
    async bridgeConsume(count) {
      const stream = await filledStream(count);
      return bridgeConsumeSide(await transportOf(stream), count, 'bridge', () =>
        dropStream(stream).then(() => undefined),
      );
    },

    async storedBytes() {
      return { ...bytes };
    },

    async close() {
      await admin.close();
    },
  };
}

async function rawConsumer(jsm: JetStreamManager, stream: Stream, name: string): Promise<void> {
  await jsm.consumers.add(stream.stream, {
    durable_name: name,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: `${stream.prefix}.>`,
  });
}
