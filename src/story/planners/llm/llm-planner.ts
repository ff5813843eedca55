import { storyJsonSchema } from '../../format/json-schema.js';
import type { Story } from '../../format/schema.js';
import type { Planner, PlanOptions } from '../planner.js';
import { projectOverrides, textSeed, withPrompts } from '../story-assembly.js';
import { chatCompletion, type ChatEndpoint, type ChatMessage } from './chat-completion.js';
import { LlmReplyError } from './errors/llm-reply-error.js';
import { repairRequest, systemInstructions, userRequest } from './instructions.js';
import { checkReply } from './llm-reply.js';

/**
 * Plans with a language model behind any OpenAI-compatible chat endpoint (Ollama, llama.cpp
 * server, vLLM, OpenAI). The reply is validated against the story schema; an invalid one gets
 * one repair round (the problems are sent back), then `LlmReplyError` says what was wrong.
 * Shot prompts are expanded by `shotPrompt`, exactly as for the rule planner.
 *
 * @example
 * const planner = new LlmPlanner({ url: 'http://127.0.0.1:11434/v1', model: 'qwen2.5:14b' });
 * const story = await planner.plan(readFileSync('story.md', 'utf8'), { style: 'noir' });
 */
export class LlmPlanner implements Planner {
  readonly kind = 'llm' as const;

  constructor(private readonly endpoint: ChatEndpoint) {}

  async plan(text: string, options: PlanOptions = {}): Promise<Story> {
    const schema = storyJsonSchema();
    const messages: ChatMessage[] = [
      { role: 'system', content: systemInstructions(JSON.stringify(schema)) },
      { role: 'user', content: userRequest(text, { ...(options.title ? { title: options.title } : {}), ...(options.style ? { style: options.style } : {}) }) },
    ];
    const defaults = { seed: textSeed(text) };
    const overrides = projectOverrides(options) as Record<string, unknown>;

    let reply = await chatCompletion(this.endpoint, messages, schema);
    let check = checkReply(reply, defaults, overrides);
    if (!check.ok) {
      messages.push({ role: 'assistant', content: reply }, { role: 'user', content: repairRequest(check.problems) });
      reply = await chatCompletion(this.endpoint, messages, schema);
      check = checkReply(reply, defaults, overrides);
      if (!check.ok) throw new LlmReplyError(`${this.endpoint.url.replace(/\/+$/, '')}/chat/completions`, check.problems, reply);
    }
    return withPrompts(check.story);
  }
}
