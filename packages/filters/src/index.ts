export { and } from './and.js';
export { byMetadata } from './by-metadata.js';
export { filtered } from './filtered.js';
export { hasMetadata } from './has-metadata.js';
export { not } from './not.js';
export { or } from './or.js';
export { where } from './where.js';
