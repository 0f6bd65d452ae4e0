/**
 * Test helpers for gossip: record what a bus published, find it by type, assert on it with
 * readable failures, and wait for the bus to settle.
 *
 * The guide: docs/testing.md in the repository.
 *
 * @packageDocumentation
 */
export type { DeepPartial } from './deep-partial.js';
export { NotPublishedError } from './not-published-error.js';
export type { Recorder, RecordOptions } from './record-bus.js';
export { recordBus } from './record-bus.js';
export { settled } from './settled.js';
