import { jetstreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { PublishPipeline } from '../src/publish-pipeline.js';
import { deleteStream, SERVER, uniqueNames } from './fixtures.js';

const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(timeout = 2000): Promise<{
  nc: NatsConnection;
  pipeline: PublishPipeline;
  subject: string;
}> {
  const { stream, subjectPrefix } = uniqueNames();
  const nc = await connect({ servers: SERVER, noAsyncTraces: true });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: stream, subjects: [`${subjectPrefix}.>`] });
  const pipeline = new PublishPipeline(nc, timeout);
  cleanups.push(() => nc.close());
  cleanups.push(() => deleteStream(stream));
  cleanups.push(() => pipeline.close());
  return { nc, pipeline, subject: `${subjectPrefix}.order.placed` };
}

const withId = (id: string) => {
  const h = headers();
  h.append('Nats-Msg-Id', id);
  return h;
};

describe('PublishPipeline', () => {
  it('resolves each publish with the stored sequence once the server has it', async () => {
    const { pipeline, subject } = await setup();
    const acks = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        pipeline.publish(subject, new TextEncoder().encode(`m${i}`), withId(`id-${i}`)),
      ),
    );
    expect(acks.map((ack) => ack.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 300 }, (_, i) => i + 1),
    );
    expect(acks.every((ack) => !ack.duplicate)).toBe(true);
    expect(pipeline.size).toBe(0);
  });

  it('reports a duplicate msg id as the server does', async () => {
    const { pipeline, subject } = await setup();
    await pipeline.publish(subject, new Uint8Array([1]), withId('same'));
    const again = await pipeline.publish(subject, new Uint8Array([1]), withId('same'));
    expect(again).toMatchObject({ seq: 1, duplicate: true });
  });

  it('rejects a publish no stream stores (no responders)', async () => {
    const { pipeline } = await setup();
    await expect(
      pipeline.publish('gossip-nowhere.order.placed', new Uint8Array([1]), withId('x')),
    ).rejects.toThrow(/no stream stores subject "gossip-nowhere.order.placed"/);
  });

  it('rejects a publish nobody answers after the timeout, and forgets it', async () => {
    const { nc, pipeline } = await setup(300);
    // A plain subscriber takes the message and never replies, as a stuck server would.
    const silent = nc.subscribe('gossip-silent.>', { callback: () => undefined });
    cleanups.push(async () => silent.unsubscribe());
    const started = Date.now();
    await expect(
      pipeline.publish('gossip-silent.order.placed', new Uint8Array([1]), withId('y')),
    ).rejects.toThrow(/no ack from the server within 300 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(pipeline.size).toBe(0);
  });

  it('rejects at once when the connection is closed', async () => {
    const { nc, pipeline, subject } = await setup();
    await nc.close();
    await expect(pipeline.publish(subject, new Uint8Array([1]), withId('z'))).rejects.toThrow();
  });
});
