/**
 * Typed filters for gossip subscriptions: metadata matches, typed predicates and their combinators.
 *
 * The guide: docs/filters.md in the repository.
 *
 * @packageDocumentation
 */
export { and } from './and.js';
export { byMetadata } from './by-metadata.js';
export { filtered } from './filtered.js';
export { hasMetadata } from './has-metadata.js';
export { not } from './not.js';
export { or } from './or.js';
export { where } from './where.js';
