export type { Planner, PlanOptions } from './planner.js';
export { RulePlanner, planStoryByRules, slugId } from './rules/rule-planner.js';
export { LlmPlanner } from './llm/llm-planner.js';
export type { ChatEndpoint, ChatMessage } from './llm/chat-completion.js';
export { LlmRequestError, isLlmRequestError, type LlmRequestErrorCode } from './llm/errors/llm-request-error.js';
export { LlmReplyError, isLlmReplyError } from './llm/errors/llm-reply-error.js';
export { createPlanner, type PlannerSettings } from './create-planner.js';
export { textSeed, withPrompts } from './story-assembly.js';
export { PlannerNotConfiguredError } from './errors/planner-not-configured-error.js';
