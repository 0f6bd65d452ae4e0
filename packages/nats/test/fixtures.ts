import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/** The NATS server the integration tests use (.ci/services.sh starts it). */
export const SERVER = process.env.NATS_URL ?? '127.0.0.1:4222';

/** A stream name and subject prefix of their own for each test, so runs never collide. */
export function uniqueNames(): { stream: string; subjectPrefix: string } {
  const suffix = randomUUID().slice(0, 8);
  return { stream: `GOSSIP_TEST_${suffix}`, subjectPrefix: `gt${suffix}` };
}

/** Deletes a test's stream (and so its consumers); a stream already gone is fine. */
export async function deleteStream(stream: string, servers = SERVER): Promise<void> {
  const nc = await connect({ servers, noAsyncTraces: true });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => false);
  } finally {
    await nc.close();
  }
}

/** How many messages a stream holds, per subject filter. */
export async function countMessages(
  stream: string,
  subject: string,
  servers = SERVER,
): Promise<number> {
  const nc = await connect({ servers, noAsyncTraces: true });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream, { subjects_filter: subject });
    return Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
  } finally {
    await nc.close();
  }
}
