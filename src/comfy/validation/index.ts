export { validatePrompt, validatePromptValue } from './validate-prompt.js';
export { validatePromptRequest, type PromptRequestOutcome, type QueuePlacement } from './prompt-request.js';
export { ValidationCrashError } from './errors/validation-crash-error.js';
export { typesMatch } from './input-info.js';
export type { NodeErrorEntry, NodeErrorReason, NodeErrors, PromptError, ValidateOptions, ValidationOutcome } from './types.js';
export { renderNodeErrors } from './render-errors.js';
