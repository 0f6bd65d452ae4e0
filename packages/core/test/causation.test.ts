import { describe, expect, it } from 'vitest';
import {
  type AnyEvent,
  BusClosedError,
  createEventBus,
  LoopDetectedError,
  MetadataKey,
} from '../src/index.js';
import { type AppEvents, catchUnhandled, gate, settle } from './fixtures.js';

describe('events published by handlers', () => {
  it('carry the causation id, the correlation id and the depth of the chain', async () => {
    const bus = createEventBus<AppEvents>();
    const seen: AnyEvent[] = [];
    bus.subscribe('**', (event) => void seen.push(event));
    bus.subscribe('order.placed', async (event, ctx) => {
      await ctx.publish('order.paid', event.data);
    });
    bus.subscribe('order.paid', async (event, ctx) => {
      await ctx.publish('user.deleted', { userId: event.data.orderId });
    });
    await bus.publish(
      'order.placed',
      { orderId: 'o1', amount: 3 },
      { metadata: { requestId: 'r1' } },
    );
    await bus.shutdown();
    const [placed, paid, deleted] = seen;
    expect(seen.map((e) => e.type)).toEqual(['order.placed', 'order.paid', 'user.deleted']);
    expect(paid?.metadata).toMatchObject({
      [MetadataKey.CausationId]: placed?.id,
      [MetadataKey.CorrelationId]: placed?.id,
      [MetadataKey.CausationDepth]: '1',
    });
    expect(deleted?.metadata).toMatchObject({
      causationId: paid?.id,
      correlationId: placed?.id,
      causationDepth: '2',
    });
    expect(placed?.metadata).toEqual({ requestId: 'r1' });
  });

  it('runs a chain A -> B -> C, each handler publishing the next', async () => {
    const bus = createEventBus<AppEvents>();
    const trace: string[] = [];
    bus.subscribe('user.created', async (event, ctx) => {
      trace.push('A');
      await ctx.publish('user.deleted', { userId: event.data.userId });
    });
    bus.subscribe('user.deleted', async (event, ctx) => {
      trace.push('B');
      await ctx.publish('order.placed', { orderId: event.data.userId, amount: 1 });
    });
    bus.subscribe('order.placed', () => void trace.push('C'));
    await bus.publish('user.created', { userId: 'u1', email: 'a@b.c' });
    await bus.shutdown();
    expect(trace).toEqual(['A', 'B', 'C']);
  });

  it('refuse a chain deeper than maxCausationDepth with LoopDetectedError, reported and not dispatched', async () => {
    const reported: unknown[] = [];
    const bus = createEventBus<AppEvents>({
      maxCausationDepth: 5,
      onError: (e) => reported.push(e),
    });
    let calls = 0;
    let thrown: unknown;
    bus.subscribe('user.deleted', async (event, ctx) => {
      calls++;
      try {
        await ctx.publish('user.deleted', event.data);
      } catch (error) {
        thrown = error;
      }
    });
    await bus.publish('user.deleted', { userId: 'loop' });
    await bus.shutdown();
    expect(calls).toBe(6); // the original and five caused events
    expect(thrown).toBeInstanceOf(LoopDetectedError);
    expect(reported).toEqual([thrown]);
    expect((thrown as LoopDetectedError).message).toContain('maxCausationDepth');
    expect((thrown as LoopDetectedError).causedBy.metadata.causationDepth).toBe('5');
  });

  it('report a refused loop even when the handler does not await ctx.publish, without an unhandled rejection', async () => {
    const unhandled = catchUnhandled('unhandledRejection');
    const reported: unknown[] = [];
    const bus = createEventBus<AppEvents>({
      maxCausationDepth: 2,
      onError: (e) => reported.push(e),
    });
    bus.subscribe('user.deleted', (event, ctx) => {
      void ctx.publish('user.deleted', event.data);
    });
    await bus.publish('user.deleted', { userId: 'loop' });
    await bus.shutdown();
    await settle();
    unhandled.stop();
    expect(reported).toHaveLength(1);
    expect(unhandled.caught).toEqual([]);
  });

  it('refuse a publish from a handler abandoned at the deadline: it rejects if awaited, and makes no unhandled rejection if not', async () => {
    const unhandled = catchUnhandled('unhandledRejection');
    const bus = createEventBus<AppEvents>();
    const hold = gate();
    let late: Promise<void> | undefined;
    bus.subscribe('user.deleted', async (event, ctx) => {
      await hold.promise; // ignores its signal, outlives the deadline
      void ctx.publish('order.paid', { orderId: event.data.userId, amount: 1 });
      late = ctx.publish('order.paid', { orderId: event.data.userId, amount: 2 });
    });
    await bus.publish('user.deleted', { userId: 'u1' });
    await settle();
    const report = await bus.shutdown({ timeout: 0 });
    expect(report.undelivered).toHaveLength(1);
    hold.open();
    await settle();
    await expect(late).rejects.toThrow(BusClosedError);
    await settle();
    unhandled.stop();
    expect(unhandled.caught).toEqual([]);
  });
});
