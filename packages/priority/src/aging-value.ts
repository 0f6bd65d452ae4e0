import { InvalidOptionError, optionName } from '@gossip/core';

/**
 * Checks the `aging` option of `fn` (the function given it, which errors name):
 * `false` (no aging) or a finite number of milliseconds above 0. Returns the milliseconds, or 0
 * for no aging.
 */
export function agingValue(fn: string, aging: unknown): number {
  if (aging === false) return 0;
  if (typeof aging !== 'number' || !(aging > 0) || !Number.isFinite(aging)) {
    throw new InvalidOptionError(
      optionName(fn, 'aging'),
      'false, or the milliseconds of waiting worth one priority point (a finite number above 0)',
      aging,
    );
  }
  return aging;
}
