export { decide, describeWorker } from './decide.js';
export { classify, codeOf, type FailureClass } from './failure-class.js';
export { retryDelay, DEFAULT_BACKOFF, type RetryBackoff } from './backoff.js';
export { lowerMemoryOption, vramNeedGb, type LowerMemoryOption } from './lower-memory.js';
export { constraintsFromHistory, type JobConstraints } from './job-constraints.js';
export type { Decision, PolicyAction, PolicyContext, PolicyJob, PolicyWorker } from './types.js';
