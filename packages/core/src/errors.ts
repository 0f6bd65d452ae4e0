// The errors core throws and reports: GossipError, the codes, and one subclass per failure, each
// in a module of its own. Core's modules import their errors from here, not from each module:
// the bundle then keeps the error classes side by side, and, being much alike, they compress
// better together (core's size budget: `node scripts/run.mjs size-budget` in bench/).
export { AsyncSchemaError } from './async-schema-error.js';
export { BufferFullError } from './buffer-full-error.js';
export { BusClosedError } from './bus-closed-error.js';
export { ErrorCode, type GossipErrorCode } from './error-code.js';
export { EventDroppedError } from './event-dropped-error.js';
export { GossipError } from './gossip-error.js';
export { HandlerError, isHandlerErrorOf } from './handler-error.js';
export { InvalidOptionError } from './invalid-option-error.js';
export { LoopDetectedError } from './loop-detected-error.js';
export { SchedulerError } from './scheduler-error.js';
export { TimeoutError } from './timeout-error.js';
export { UnknownEventError } from './unknown-event-error.js';
export { UnmatchedPatternError } from './unmatched-pattern-error.js';
export { UpcastError } from './upcast-error.js';
export { ValidationError, type ValidationIssue } from './validation-error.js';
