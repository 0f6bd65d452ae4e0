/**
 * Event names and wildcard patterns for generated apps and benchmarks: `domain.entity.action`,
 * made from word lists so that the names read like an application's, and deterministic so that
 * two runs generate the same code.
 */

const DOMAINS = [
  'user',
  'order',
  'billing',
  'catalog',
  'shipping',
  'inventory',
  'auth',
  'search',
  'review',
  'support',
];
const ENTITIES = [
  'account',
  'invoice',
  'item',
  'payment',
  'session',
  'cart',
  'refund',
  'address',
  'ticket',
  'profile',
];
const ACTIONS = [
  'created',
  'updated',
  'deleted',
  'viewed',
  'approved',
  'rejected',
  'archived',
  'restored',
  'exported',
  'flagged',
];

/** The `index`-th word of a list, with a number suffix once the list runs out. */
function word(list: readonly string[], index: number): string {
  const base = list[index % list.length] ?? 'x';
  const round = Math.floor(index / list.length);
  return round === 0 ? base : `${base}${round}`;
}

/** One generated event name and its three segments. */
export interface EventName {
  readonly name: string;
  readonly domain: string;
  readonly entity: string;
  readonly action: string;
}

/**
 * Makes `count` distinct three-segment event names, domain by domain: as many domains as
 * entities per domain as actions per entity (the cube root of the count, rounded up).
 *
 * @param count - how many names, 1 or more
 * @returns the names, in a stable order
 */
export function eventNames(count: number): EventName[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be 1 or more`);
  const side = Math.ceil(Math.cbrt(count));
  const actions = Math.ceil(count / (side * side));
  const names: EventName[] = [];
  for (let d = 0; d < side; d++) {
    for (let e = 0; e < side; e++) {
      for (let a = 0; a < actions; a++) {
        if (names.length === count) return names;
        const domain = word(DOMAINS, d);
        const entity = word(ENTITIES, e);
        const action = word(ACTIONS, a);
        names.push({ name: `${domain}.${entity}.${action}`, domain, entity, action });
      }
    }
  }
  return names;
}

/** A wildcard pattern and the first event name it matches (for narrowing in a handler). */
export interface WildcardPattern {
  readonly pattern: string;
  readonly firstMatch: string;
}

const KINDS: ReadonlyArray<(name: EventName) => string> = [
  (n) => `${n.domain}.*.*`,
  (n) => `${n.domain}.${n.entity}.*`,
  (n) => `${n.domain}.**`,
  (n) => `*.${n.entity}.${n.action}`,
  (n) => `*.${n.entity}.*`,
  (n) => `${n.domain}.*.${n.action}`,
];

/**
 * Picks `count` distinct wildcard patterns that each match at least one of the names, taking
 * the kinds `domain.*.*`, `domain.entity.*`, `domain.**`, `*.entity.action`, `*.entity.*` and
 * `domain.*.action` in turn, so every kind is represented.
 *
 * @param names - the event names the patterns are drawn from
 * @param count - how many patterns (fewer if the names admit fewer)
 * @returns the patterns, each with its first matching name
 */
export function wildcardPatterns(names: readonly EventName[], count: number): WildcardPattern[] {
  const candidates = KINDS.map((kind) => {
    const seen = new Map<string, string>();
    for (const name of names) {
      const pattern = kind(name);
      if (!seen.has(pattern)) seen.set(pattern, name.name);
    }
    return [...seen];
  });
  const picked: WildcardPattern[] = [];
  for (let round = 0; picked.length < count; round++) {
    let added = false;
    for (const list of candidates) {
      const candidate = list[round];
      if (candidate === undefined || picked.length === count) continue;
      picked.push({ pattern: candidate[0], firstMatch: candidate[1] });
      added = true;
    }
    if (!added) break;
  }
  return picked;
}
