import { afterEach, describe, expect, it, vi } from 'vitest';
import { Background } from '../src/background.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  vi.useRealTimers();
});

describe('Background', () => {
  // Fake time: on a loaded machine, real 5 ms timers can slip past any wall-clock bound.
  it('runs a task every interval, one run at a time, and goes on after a failure', async () => {
    vi.useFakeTimers();
    const background = new Background();
    const errors: unknown[] = [];
    let runs = 0;
    let running = 0;
    let most = 0;
    background.every(
      5,
      async () => {
        runs++;
        running++;
        most = Math.max(most, running);
        await sleep(10);
        running--;
        if (runs === 1) throw new Error('first run failed');
      },
      (error) => errors.push(error),
    );
    // Runs start at 5, 20, 35, 50, 65 and 80 ms: each 5 ms after the last one's 10 ms ended.
    await vi.advanceTimersByTimeAsync(80);
    background.stop();
    await vi.advanceTimersByTimeAsync(10);
    await background.settled();
    expect(runs).toBe(6);
    expect(most).toBe(1);
    expect(errors).toEqual([new Error('first run failed')]);
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toBe(6);
  });

  it('ends a wait early when woken or stopped, and waits no more once stopped', async () => {
    const background = new Background();
    const woken = background.wait(10_000);
    background.wakeAll();
    await woken;
    const stopped = background.wait(10_000);
    background.stop();
    await stopped;
    let ended = false;
    void background.wait(10_000).then(() => {
      ended = true;
    });
    await Promise.resolve();
    expect(ended).toBe(true);
  });

  it('drops a delayed callback when stopped first, and schedules none after', async () => {
    const background = new Background();
    const called: string[] = [];
    background.after(5, () => called.push('before stop'));
    background.stop();
    background.after(1, () => called.push('after stop'));
    await sleep(20);
    expect(called).toEqual([]);
  });

  it('settles once the tracked tasks have ended', async () => {
    const background = new Background();
    let done = false;
    background.track(
      sleep(10).then(() => {
        done = true;
      }),
    );
    await background.settled();
    expect(done).toBe(true);
  });
});
