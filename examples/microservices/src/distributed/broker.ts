/**
 * The broker side of a run: the names a run uses on NATS or Redis, the transport each service
 * connects with, and the launcher's view of the broker (its dead letters, and removing what
 * the run made).
 *
 * Every run has names of its own (a stream and subject prefix on NATS, a key prefix on Redis),
 * so that two runs, or a run and the integration tests, never see each other's messages.
 */
import { createNatsTransport } from '@gossip/nats';
import { createRedisTransport } from '@gossip/redis';
import type { Transport } from '@gossip/transport';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import type { DeadLetter, TransportName } from './protocol.js';

/** Where the brokers listen: loopback by default, as `.ci/services.sh` starts them. */
export const brokerUrls = {
  nats: process.env.NATS_URL ?? '127.0.0.1:4222',
  redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
} as const satisfies Record<TransportName, string>;

/** How the brokers are named in the story. */
export const brokerTitles = {
  nats: 'NATS JetStream',
  redis: 'Redis Streams',
} as const satisfies Record<TransportName, string>;

/**
 * How many deliveries a message gets before the bridge dead-letters it. Low, so that the
 * story's failing push reaches the dead letters in well under a second (100 + 200 ms backoff).
 */
export const MAX_ATTEMPTS = 3;

/** The names a run uses on the brokers. */
export interface RunNames {
  readonly run: string;
  /** NATS: the run's stream. */
  readonly stream: string;
  /** NATS: events are stored under `<subjectPrefix>.<type>`, dead letters under `<subjectPrefix>-dlq.<type>`. */
  readonly subjectPrefix: string;
  /** Redis: the first part of every key. */
  readonly keyPrefix: string;
}

/** Names the broker resources of run `run` (letters and digits). */
export function namesOf(run: string): RunNames {
  return {
    run,
    stream: `MICROSERVICES_${run}`,
    subjectPrefix: `microservices-${run}`,
    keyPrefix: `microservices:${run}`,
  };
}

/**
 * Connects a service process to the run's broker. Errors the transport cannot hand back to a
 * caller go to `onError`.
 */
export function connectTransport(
  transport: TransportName,
  names: RunNames,
  onError: (error: unknown) => void,
): Promise<Transport> {
  if (transport === 'nats') {
    return createNatsTransport({
      servers: brokerUrls.nats,
      stream: names.stream,
      subjectPrefix: names.subjectPrefix,
      onError,
    });
  }
  return createRedisTransport({
    url: brokerUrls.redis,
    prefix: names.keyPrefix,
    // Wildcard subscriptions (analytics) find a stream made after they started by polling the
    // set of streams; the default second would show as a pause in the story.
    discoverIntervalMs: 100,
    onError,
  });
}

/** The launcher's handle on the run's broker resources. */
export interface RunBroker {
  /** Where the run's messages are, for the story. */
  readonly where: string;
  /** Reads the run's dead letters. */
  deadLetters(): Promise<DeadLetter[]>;
  /** Deletes what the run made on the broker and disconnects. */
  remove(): Promise<void>;
}

/**
 * Checks that the broker is up and prepares the run on it before any service starts: on NATS
 * the stream is made here, once, rather than by four processes at the same moment.
 */
export async function openBroker(transport: TransportName, names: RunNames): Promise<RunBroker> {
  return transport === 'nats' ? openNats(names) : openRedis(names);
}

/** The most stream entries the launcher reads back: a run stores a dozen or so. */
const MAX_READ = 1000;

async function openNats(names: RunNames): Promise<RunBroker> {
  const nc = await connect({ servers: brokerUrls.nats, noAsyncTraces: true });
  try {
    // The transport makes the stream as the services' transports expect it, on this connection.
    const made = await createNatsTransport({
      connection: nc,
      stream: names.stream,
      subjectPrefix: names.subjectPrefix,
    });
    await made.close();
    const jsm = await jetstreamManager(nc);
    const deadLetterPrefix = `${names.subjectPrefix}-dlq.`;
    return {
      where: `stream ${names.stream}, subjects ${names.subjectPrefix}.> (dead letters ${deadLetterPrefix}>)`,
      async deadLetters() {
        const { state } = await jsm.streams.info(names.stream);
        const found: DeadLetter[] = [];
        const last = Math.min(state.last_seq, state.first_seq + MAX_READ);
        for (let seq = state.first_seq; seq <= last && state.messages > 0; seq++) {
          const message = await jsm.streams.getMessage(names.stream, { seq }).catch(() => null);
          if (message === null || !message.subject.startsWith(deadLetterPrefix)) continue;
          const header = (name: string): string => message.header.get(name);
          found.push({
            type: message.subject.slice(deadLetterPrefix.length),
            eventId: header('Gossip-Id'),
            code: header('Gossip-Dead-Letter-Code'),
            message: header('Gossip-Dead-Letter-Message'),
            attempts: Number(header('Gossip-Dead-Letter-Attempts')),
          });
        }
        return found;
      },
      async remove() {
        try {
          await jsm.streams.delete(names.stream);
        } finally {
          await nc.close();
        }
      },
    };
  } catch (error) {
    await nc.close();
    throw error;
  }
}

async function openRedis(names: RunNames): Promise<RunBroker> {
  const transport = await createRedisTransport({ url: brokerUrls.redis, prefix: names.keyPrefix });
  return {
    where: `keys ${names.keyPrefix}:* (dead letters ${transport.deadLetterKey})`,
    async deadLetters() {
      const letters = await transport.readDeadLetters(MAX_READ);
      return letters.map(({ envelope, reason }) => ({
        type: envelope?.type ?? '?',
        eventId: envelope?.id ?? '?',
        code: reason.code,
        message: reason.message,
        attempts: reason.attempts,
      }));
    },
    async remove() {
      const client = new Redis(brokerUrls.redis, { lazyConnect: true });
      try {
        await client.connect();
        // SCAN, not KEYS: it does not block the server. Bounded by the run's few keys.
        let cursor = '0';
        for (let round = 0; round < MAX_READ; round++) {
          const [next, keys] = await client.scan(cursor, 'MATCH', `${names.keyPrefix}:*`);
          if (keys.length > 0) await client.del(...keys);
          cursor = next;
          if (cursor === '0') break;
        }
      } finally {
        client.disconnect();
        await transport.close();
      }
    },
  };
}
