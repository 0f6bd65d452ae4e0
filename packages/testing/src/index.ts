export type { DeepPartial } from './deep-partial.js';
export { NotPublishedError } from './not-published-error.js';
export type { Recorder, RecordOptions } from './record-bus.js';
export { recordBus } from './record-bus.js';
export { settled } from './settled.js';
