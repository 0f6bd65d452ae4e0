import { describe, expect, it } from 'vitest';
import { CORE_BUDGET, CORE_CEILING } from '../src/bundle-size.js';
import { evaluateTargets, TARGET_SPECS } from '../src/targets.js';

/** A target's limit and direction, by id. */
function limitOf(id: string): { limit: number; kind: 'max' | 'min' } | undefined {
  const spec = TARGET_SPECS.find((s) => s.id === id);
  return spec === undefined ? undefined : { limit: spec.limit, kind: spec.kind };
}

describe('the core size target', () => {
  it('holds @gossip/core to 7000 bytes minified and gzipped, the limit of issue 13', () => {
    expect(CORE_BUDGET).toBe(7000);
    expect(limitOf('core-size')).toEqual({ limit: 7000, kind: 'max' });
  });

  it('is hit at 7000 bytes and missed one byte above', () => {
    const at = (bytes: number) =>
      evaluateTargets([], new Map([['@gossip/core', bytes]]), undefined).targets.find(
        (t) => t.id === 'core-size',
      )?.hit;
    expect(at(7000)).toBe(true);
    expect(at(7001)).toBe(false);
  });

  it("keeps CI's ratchet at or above the budget", () => {
    expect(CORE_CEILING).toBeGreaterThanOrEqual(CORE_BUDGET);
  });
});

describe('the schema versions target of issue 15', () => {
  it('holds publish on the latest of 3 versions within 1.05x of publish with 1 version', () => {
    expect(limitOf('versions-publish')).toEqual({ limit: 1.05, kind: 'max' });
  });
});

describe('the speed targets of issue 13', () => {
  it('holds publishSync to 10 async handlers within 1.25x of await Promise.all', () => {
    expect(limitOf('awaited-10-vs-promise-all')).toEqual({ limit: 1.25, kind: 'max' });
  });

  it('holds publish with a zod schema within 1.15x of publish without one plus safeParse', () => {
    expect(limitOf('validation-overhead')).toEqual({ limit: 1.15, kind: 'max' });
  });

  it("holds queued publish to 10 sync handlers at least 20x faster than emittery's emit (to the last handler call)", () => {
    expect(limitOf('queued-10-vs-emittery')).toEqual({ limit: 20, kind: 'min' });
  });
});
