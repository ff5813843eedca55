import { z } from 'zod';
import { LlmRequestError } from './errors/llm-request-error.js';

/** Where and how to reach an OpenAI-compatible chat endpoint (same fields as config `planner.llm`). */
export interface ChatEndpoint {
  /** Base URL, e.g. http://127.0.0.1:11434/v1 (Ollama) or https://api.openai.com/v1. */
  url: string;
  model: string;
  apiKey?: string;
  /** Per request; default 60 000. */
  timeoutMs?: number;
  /** How to ask for JSON: a JSON Schema (default), plain JSON mode, or only by instruction. */
  responseFormat?: 'json_schema' | 'json_object' | 'none';
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

const completionSchema = z.object({
  choices: z
    .array(z.object({ message: z.object({ content: z.string().nullable().optional() }) }))
    .min(1),
});

/** `POST {url}/chat/completions` → the first choice's text. Temperature 0, so replies repeat. */
export async function chatCompletion(endpoint: ChatEndpoint, messages: ChatMessage[], schema?: Record<string, unknown>): Promise<string> {
  const url = `${endpoint.url.replace(/\/+$/, '')}/chat/completions`;
  const format = endpoint.responseFormat ?? 'json_schema';
  const body = {
    model: endpoint.model,
    messages,
    temperature: 0,
    ...(format === 'json_schema' && schema ? { response_format: { type: 'json_schema', json_schema: { name: 'story', schema, strict: false } } } : {}),
    ...(format === 'json_object' ? { response_format: { type: 'json_object' } } : {}),
  };
  const timeoutMs = endpoint.timeoutMs ?? 60_000;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw transportError(url, timeoutMs, cause);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (cause) {
    throw transportError(url, timeoutMs, cause);
  }
  if (!response.ok) {
    throw new LlmRequestError('LLM_HTTP_ERROR', url, `the LLM endpoint ${url} answered HTTP ${response.status}: ${excerpt(text)}`, {
      status: response.status,
      hint:
        response.status === 401 || response.status === 403
          ? 'check planner.llm.apiKey'
          : response.status === 404
            ? 'check planner.llm.url (it should end before /chat/completions, e.g. …/v1) and planner.llm.model'
            : 'check the server\'s log; retry, or plan with the rule planner (planner.kind: rules)',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new LlmRequestError('LLM_BAD_RESPONSE', url, `the LLM endpoint ${url} did not answer JSON: ${excerpt(text)}`, {
      hint: 'check that planner.llm.url points at an OpenAI-compatible API',
      cause,
    });
  }
  const parsed = completionSchema.safeParse(json);
  if (!parsed.success) {
    throw new LlmRequestError('LLM_BAD_RESPONSE', url, `the LLM endpoint ${url} answered something that is not a chat completion: ${excerpt(text)}`, {
      hint: 'check that planner.llm.url points at an OpenAI-compatible API',
    });
  }
  return parsed.data.choices[0]!.message.content ?? '';
}

function transportError(url: string, timeoutMs: number, cause: unknown): LlmRequestError {
  const name = (cause as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new LlmRequestError('LLM_TIMEOUT', url, `the LLM endpoint ${url} did not answer within ${timeoutMs} ms`, {
      hint: 'raise planner.llm.timeoutMs, use a smaller model, or check that the server is not stuck',
      cause,
    });
  }
  const reason = (cause as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return new LlmRequestError('LLM_UNREACHABLE', url, `cannot reach the LLM endpoint ${url}: ${reason?.code ?? reason?.message ?? (cause as Error).message}`, {
    hint: 'check planner.llm.url and that the server (Ollama, llama.cpp, vLLM…) is running',
    cause,
  });
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat || '(empty body)';
}
