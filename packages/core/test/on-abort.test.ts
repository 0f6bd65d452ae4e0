import { describe, expect, it, vi } from 'vitest';
import { onAbort } from '../src/index.js';

describe('onAbort', () => {
  it('calls every listener once when the signal aborts, in the order they were added', () => {
    const controller = new AbortController();
    const calls: number[] = [];
    for (let i = 0; i < 3; i++) onAbort(controller.signal, () => calls.push(i));
    controller.abort();
    controller.abort();
    expect(calls).toEqual([0, 1, 2]);
  });

  it('calls a listener at once when the signal has already aborted', () => {
    const listener = vi.fn();
    onAbort(AbortSignal.abort(), listener);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('does not call a listener that was forgotten', () => {
    const controller = new AbortController();
    const kept = vi.fn();
    const forgotten = vi.fn();
    onAbort(controller.signal, kept);
    onAbort(controller.signal, forgotten)();
    controller.abort();
    expect(kept).toHaveBeenCalledTimes(1);
    expect(forgotten).not.toHaveBeenCalled();
  });

  it('adds one listener to a signal however many wait on it, and takes it off when none is left', () => {
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, 'addEventListener');
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    const forgets = Array.from({ length: 50 }, () => onAbort(controller.signal, () => {}));
    expect(add).toHaveBeenCalledTimes(1);
    for (const forget of forgets) forget();
    expect(remove).toHaveBeenCalledTimes(1);
    onAbort(controller.signal, () => {});
    expect(add).toHaveBeenCalledTimes(2);
  });

  it('counts the same function added twice as two listeners', () => {
    const controller = new AbortController();
    const listener = vi.fn();
    const forget = onAbort(controller.signal, listener);
    onAbort(controller.signal, listener);
    forget();
    controller.abort();
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
