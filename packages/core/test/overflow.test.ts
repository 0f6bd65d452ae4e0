import { describe, expect, it, vi } from 'vitest';
import { BufferFullError, createEventBus, type DropReason } from '../src/index.js';
import { type AppEvents, gate, settle } from './fixtures.js';

/** A bus with one worker held by the first event, so later events stay in the buffer. */
async function heldBus(overflow: 'block' | 'reject' | 'drop-oldest' | 'drop-newest') {
  const drops: Array<{ id: string; reason: DropReason }> = [];
  const onDrop = vi.fn();
  const bus = createEventBus<AppEvents>({ workers: 1, bufferSize: 2, overflow, onDrop });
  bus.lifecycle.on('drop', ({ event, reason }) => drops.push({ id: event.data as never, reason }));
  const hold = gate();
  const seen: string[] = [];
  bus.subscribe('user.deleted', async (event) => {
    seen.push(event.data.userId);
    if (event.data.userId === 'first') await hold.promise;
  });
  await bus.publish('user.deleted', { userId: 'first' });
  await settle(); // 'first' is running, the buffer is empty
  await bus.publish('user.deleted', { userId: 'a' });
  await bus.publish('user.deleted', { userId: 'b' }); // the buffer is full now
  return { bus, hold, seen, drops, onDrop };
}

describe('overflow policies when the buffer is full', () => {
  it('block: publish waits for room, then the event is delivered', async () => {
    const { bus, hold, seen } = await heldBus('block');
    let accepted = false;
    const published = bus.publish('user.deleted', { userId: 'c' }).then(() => {
      accepted = true;
    });
    await settle();
    expect(accepted).toBe(false);
    expect(bus.stats().blocked).toBe(1);
    hold.open();
    await published;
    await bus.shutdown();
    expect(seen).toEqual(['first', 'a', 'b', 'c']);
    expect(bus.stats().dropped).toBe(0);
  });

  it('reject: publish fails with BufferFullError, nothing else is lost', async () => {
    const { bus, hold, seen } = await heldBus('reject');
    const error = await bus.publish('user.deleted', { userId: 'c' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BufferFullError);
    expect(error).toMatchObject({ code: 'BUFFER_FULL', eventType: 'user.deleted' });
    expect((error as Error).message).toContain("overflow: 'block'");
    hold.open();
    await bus.shutdown();
    expect(seen).toEqual(['first', 'a', 'b']);
  });

  it('drop-oldest: the oldest queued event is dropped, counted and reported', async () => {
    const { bus, hold, seen, onDrop } = await heldBus('drop-oldest');
    const drops: DropReason[] = [];
    bus.lifecycle.on('drop', ({ reason }) => drops.push(reason));
    await bus.publish('user.deleted', { userId: 'c' });
    hold.open();
    await bus.shutdown();
    expect(seen).toEqual(['first', 'b', 'c']);
    expect(drops).toEqual(['drop-oldest']);
    expect(onDrop).toHaveBeenCalledWith(expect.objectContaining({ data: { userId: 'a' } }));
    expect(bus.stats()).toMatchObject({ dropped: 1 });
    expect(bus.stats().byType['user.deleted']?.dropped).toBe(1);
  });

  it('drop-newest: the new event is dropped, counted and reported', async () => {
    const { bus, hold, seen, onDrop } = await heldBus('drop-newest');
    const drops: DropReason[] = [];
    bus.lifecycle.on('drop', ({ reason }) => drops.push(reason));
    await bus.publish('user.deleted', { userId: 'c' });
    hold.open();
    const report = await bus.shutdown();
    expect(seen).toEqual(['first', 'a', 'b']);
    expect(drops).toEqual(['drop-newest']);
    expect(onDrop).toHaveBeenCalledWith(expect.objectContaining({ data: { userId: 'c' } }));
    expect(report.dropped).toBe(1);
  });

  it('defaults to block, so nothing is dropped without being asked for', async () => {
    const bus = createEventBus<AppEvents>({ workers: 1, bufferSize: 1 });
    let count = 0;
    bus.subscribe('user.deleted', async () => {
      await settle();
      count++;
    });
    for (let i = 0; i < 20; i++) await bus.publish('user.deleted', { userId: `${i}` });
    await bus.shutdown();
    expect(count).toBe(20);
    expect(bus.stats().dropped).toBe(0);
  });

  it('does not count filtered-out events against the buffer', async () => {
    const bus = createEventBus<AppEvents>({ workers: 1, bufferSize: 1, overflow: 'reject' });
    const hold = gate();
    bus.subscribe('user.deleted', () => hold.promise, {
      filter: (event) => event.data.userId !== 'skip',
    });
    await bus.publish('user.deleted', { userId: 'first' });
    await settle();
    await bus.publish('user.deleted', { userId: 'queued' });
    for (let i = 0; i < 10; i++) await bus.publish('user.deleted', { userId: 'skip' });
    expect(bus.stats().queued).toBe(1);
    hold.open();
    await bus.shutdown();
  });
});
