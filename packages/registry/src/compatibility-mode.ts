import { InvalidOptionError } from '@gossip/core';

/**
 * The compatibility modes, as Confluent's Schema Registry names them.
 *
 * - `backward` (the default): readers on the new version read events written with the
 *   previous one, so consumers upgrade first.
 * - `forward`: readers on the previous version read events written with the new one, so
 *   producers upgrade first.
 * - `full`: both.
 * - `...-transitive`: the same against every earlier version, not only the previous one.
 * - `none`: no check.
 *
 * @example
 * ```ts
 * checkCompatibility(v1, v2, CompatibilityMode.FullTransitive);
 * ```
 */
export const CompatibilityMode = {
  Backward: 'backward',
  BackwardTransitive: 'backward-transitive',
  Forward: 'forward',
  ForwardTransitive: 'forward-transitive',
  Full: 'full',
  FullTransitive: 'full-transitive',
  None: 'none',
} as const;

/**
 * One of the values of {@link CompatibilityMode}.
 *
 * @example
 * ```ts
 * const mode: CompatibilityMode = 'backward-transitive';
 * ```
 */
export type CompatibilityMode = (typeof CompatibilityMode)[keyof typeof CompatibilityMode];

/**
 * Which way a change breaks: `backward`, new readers cannot read old events; `forward`, old
 * readers cannot read new events.
 *
 * @example
 * ```ts
 * const direction: Direction = 'forward';
 * ```
 */
export type Direction = 'backward' | 'forward';

const MODES = new Set<string>(Object.values(CompatibilityMode));

/**
 * The directions a mode checks, and whether against every earlier version.
 *
 * @internal
 */
export function directionsOf(
  mode: CompatibilityMode,
  name = 'mode',
): {
  directions: Direction[];
  transitive: boolean;
} {
  if (typeof mode !== 'string' || !MODES.has(mode)) {
    throw new InvalidOptionError(name, `one of ${[...MODES].join(', ')}`, mode);
  }
  const transitive = mode.endsWith('-transitive');
  if (mode.startsWith('backward')) return { directions: ['backward'], transitive };
  if (mode.startsWith('forward')) return { directions: ['forward'], transitive };
  if (mode.startsWith('full')) return { directions: ['backward', 'forward'], transitive };
  return { directions: [], transitive: false };
}
