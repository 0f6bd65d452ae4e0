/**
 * Batching for gossip: gather events into typed batches by size or time, with bounded concurrency,
 * backpressure, retry and reported failures.
 *
 * The guide: docs/batch.md in the repository.
 *
 * @packageDocumentation
 */
export { BatchClosedError } from './batch-closed-error.js';
export { BatchError } from './batch-error.js';
export { BatchErrorCode } from './batch-error-code.js';
export type { BatchContext, BatchHandler } from './batch-handler.js';
export type { BatchInput } from './batch-input.js';
export type { BatchOptions, BatchRetryOptions } from './batch-options.js';
export { BatchProcessor } from './batch-processor.js';
export type { BatchReport } from './batch-report.js';
export type { CreateBatchProcessorOptions } from './create-batch-processor.js';
export { createBatchProcessor } from './create-batch-processor.js';
