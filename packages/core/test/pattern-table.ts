/**
 * One table of pattern cases, checked at run time (pattern-matcher.test.ts) and at the type
 * level (pattern.test-d.ts), so the two matchers cannot drift apart.
 */
export const eventTypes = [
  'order',
  'order.paid',
  'order.shipped',
  'order.item.added',
  'order.item.removed.late',
  'user.created',
] as const;

export type TableEvents = { [K in (typeof eventTypes)[number]]: { name: K } };

export const patternCases = [
  { pattern: 'order.paid', type: 'order.paid', matches: true },
  { pattern: 'order.paid', type: 'order.shipped', matches: false },
  { pattern: 'order.paid', type: 'order', matches: false },
  { pattern: 'order', type: 'order', matches: true },
  { pattern: 'order', type: 'order.paid', matches: false },
  { pattern: 'order.*', type: 'order.paid', matches: true },
  { pattern: 'order.*', type: 'order.shipped', matches: true },
  { pattern: 'order.*', type: 'order', matches: false },
  { pattern: 'order.*', type: 'order.item.added', matches: false },
  { pattern: 'order.*', type: 'user.created', matches: false },
  { pattern: '*.created', type: 'user.created', matches: true },
  { pattern: '*.created', type: 'order.paid', matches: false },
  { pattern: '*', type: 'order', matches: true },
  { pattern: '*', type: 'order.paid', matches: false },
  { pattern: '*.*', type: 'order.paid', matches: true },
  { pattern: '*.*', type: 'order.item.added', matches: false },
  { pattern: 'order.*.added', type: 'order.item.added', matches: true },
  { pattern: 'order.*.added', type: 'order.item.removed.late', matches: false },
  { pattern: 'order.**', type: 'order.paid', matches: true },
  { pattern: 'order.**', type: 'order.item.added', matches: true },
  { pattern: 'order.**', type: 'order.item.removed.late', matches: true },
  { pattern: 'order.**', type: 'order', matches: false },
  { pattern: 'order.**', type: 'user.created', matches: false },
  { pattern: 'order.item.**', type: 'order.item.added', matches: true },
  { pattern: 'order.item.**', type: 'order.paid', matches: false },
  { pattern: 'order.*.**', type: 'order.item.added', matches: true },
  { pattern: 'order.*.**', type: 'order.paid', matches: false },
  { pattern: '*.**', type: 'user.created', matches: true },
  { pattern: '*.**', type: 'order', matches: false },
  { pattern: '**', type: 'order', matches: true },
  { pattern: '**', type: 'order.item.removed.late', matches: true },
] as const;
