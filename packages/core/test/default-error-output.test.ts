import { describe, expect, it, vi } from 'vitest';
import { createEventBus, GossipError } from '../src/index.js';
import type { AppEvents } from './fixtures.js';

/** Spies on console.error (the setup fails any console call nobody expects). */
function consoleErrors(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  return lines;
}

describe('failures with no onError and no error listener', () => {
  it('prints each failing handler once, on one line: type, id, subscription, message', async () => {
    const lines = consoleErrors();
    const bus = createEventBus<AppEvents>();
    bus.subscribe(
      'user.deleted',
      () => {
        throw new Error('SMTP is down\n  at somewhere');
      },
      { name: 'mailer' },
    );
    const seen: string[] = [];
    bus.subscribe('user.deleted', (event) => {
      seen.push(event.id);
    });
    await bus.publish('user.deleted', { userId: 'u1' });
    await bus.idle();
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).not.toContain('\n');
    expect(line).toContain('user.deleted');
    expect(line).toContain(seen[0]);
    expect(line).toContain('"mailer"');
    expect(line).toContain('SMTP is down');
    expect(line).toMatch(/^gossip: \[HANDLER_FAILED\]/);
  });

  it('prints a refused loop and an error given to bus.report()', async () => {
    const lines = consoleErrors();
    const bus = createEventBus<{ 'a.b': undefined }>({ maxCausationDepth: 1 });
    bus.subscribe('a.b', async (_event, ctx) => {
      await ctx.publish('a.b').catch(() => {});
    });
    await bus.publish('a.b');
    await bus.idle();
    bus.report(new GossipError('BATCH_FAILED', 'a batch of 3 failed'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^gossip: \[LOOP_DETECTED\] .*caused by event /);
    expect(lines[1]).toBe('gossip: [BATCH_FAILED] a batch of 3 failed');
  });

  it('prints nothing when the bus has onError', async () => {
    consoleErrors();
    const onError = vi.fn();
    const bus = createEventBus<AppEvents>({ onError });
    bus.subscribe('user.deleted', () => {
      throw new Error('boom');
    });
    await bus.publish('user.deleted', { userId: 'u1' });
    await bus.idle();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(console.error).not.toHaveBeenCalled();
  });

  it('prints nothing while an error lifecycle listener listens, and again once it is gone', async () => {
    const lines = consoleErrors();
    const bus = createEventBus<AppEvents>();
    bus.subscribe('user.deleted', () => {
      throw new Error('boom');
    });
    const listener = vi.fn();
    const off = bus.lifecycle.on('error', listener);
    await bus.publish('user.deleted', { userId: 'u1' });
    await bus.idle();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(lines).toHaveLength(0);
    off();
    await bus.publish('user.deleted', { userId: 'u2' });
    await bus.idle();
    expect(lines).toHaveLength(1);
  });

  it('does not print publishSync failures, which are returned to the caller', async () => {
    consoleErrors();
    const bus = createEventBus<AppEvents>();
    bus.subscribe('user.deleted', () => {
      throw new Error('boom');
    });
    expect(await bus.publishSync('user.deleted', { userId: 'u1' })).toHaveLength(1);
    expect(console.error).not.toHaveBeenCalled();
  });
});
