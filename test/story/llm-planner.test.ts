import { afterEach, describe, expect, it } from 'vitest';
import { LlmPlanner, LlmReplyError, LlmRequestError } from '../../src/story/planners/index.js';
import { shotPrompt } from '../../src/story/prompt/shot-prompt.js';
import { startRecordedResponder, type RecordedReply, type RecordedResponder } from './support/recorded-responder.js';

const STORY_TEXT = 'The lamp dies. Tom shouts from the boat. Mara lights the lamp.';
let responder: RecordedResponder | undefined;

async function plannerWith(replies: RecordedReply[], timeoutMs = 5_000) {
  responder = await startRecordedResponder(replies);
  return { planner: new LlmPlanner({ url: responder.url, model: 'qwen2.5:14b', apiKey: 'sk-test', timeoutMs }), responder };
}

afterEach(async () => {
  await responder?.close();
  responder = undefined;
});

describe('LLM planner against a recorded OpenAI-compatible responder', () => {
  it('turns a good reply into a validated story with expanded prompts', async () => {
    const { planner, responder } = await plannerWith([{ fixture: 'llm-good-reply' }]);
    const story = await planner.plan(STORY_TEXT, { style: 'noir', quality: 'draft' });

    expect(responder.requests).toHaveLength(1);
    const request = responder.requests[0]!;
    expect(request.url).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer sk-test');
    expect(request.body).toMatchObject({ model: 'qwen2.5:14b', temperature: 0, response_format: { type: 'json_schema' } });
    expect(request.body.messages?.map((m) => m.role)).toEqual(['system', 'user']);
    expect(request.body.messages?.[1]?.content).toContain(STORY_TEXT);

    expect(story.style).toBe('noir'); // the caller's option wins over the model
    expect(story.quality).toBe('draft');
    expect(story.scenes.flatMap((s) => s.shots).map((s) => s.id)).toEqual(['shot-001', 'shot-002', 'shot-003']);
    const first = story.scenes[0]!.shots[0]!;
    expect(first.prompt).not.toBe('a prompt the planner must replace');
    expect(first.prompt).toBe(shotPrompt(first, { style: 'noir', characters: story.characters, locations: story.locations, sceneLocation: 'lantern-room' }));
    expect(first.prompt).toContain('an old lighthouse keeper');
    expect(first.prompt).toContain('film noir');
    expect(story.seed).toBeGreaterThan(0); // derived from the text when the model gives none
  });

  it('repairs a malformed JSON reply in one round, sending the problem back', async () => {
    const { planner, responder } = await plannerWith([{ fixture: 'llm-malformed-reply' }, { fixture: 'llm-repaired-reply' }]);
    const story = await planner.plan(STORY_TEXT);

    expect(story.characters.map((c) => c.id)).toEqual(['mara', 'tom']);
    expect(responder.requests).toHaveLength(2);
    const repair = responder.requests[1]!.body.messages!;
    expect(repair.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(repair[2]!.content).toContain('Here is the shot list');
    expect(repair[3]!.content).toContain('the reply is not valid JSON');
  });

  it('fails with a clear typed error when the reply is still invalid after the repair round', async () => {
    const { planner, responder } = await plannerWith([{ fixture: 'llm-invalid-story-reply' }, { fixture: 'llm-still-invalid-reply' }]);
    const error = await planner.plan(STORY_TEXT).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LlmReplyError);
    const replyError = error as LlmReplyError;
    expect(replyError.code).toBe('LLM_INVALID_STORY');
    expect(replyError.url).toBe(`${responder.url}/chat/completions`);
    // The first reply's three problems were sent back…
    const repair = responder.requests[1]!.body.messages![3]!.content;
    expect(repair).toContain("scenes[0].shots[0].camera.size: 'closeup' is not one of");
    expect(repair).toContain("did you mean 'close-up'?");
    expect(repair).toContain("scenes[1].shots[0].duration: missing required field 'duration'");
    // …and the error quotes what is still wrong with the second.
    expect(replyError.problems).toHaveLength(2);
    expect(replyError.message).toContain("scenes[1].shots[0].duration: missing required field 'duration'");
    expect(replyError.message).toContain("scenes[1].shots[1].characters[0]: unknown character 'tommy'");
    expect(replyError.message).not.toContain('closeup');
  });

  it('turns an HTTP 500 into a typed error naming the URL and the server message', async () => {
    const { planner, responder } = await plannerWith([{ fixture: 'llm-http-500', status: 500 }]);
    const error = (await planner.plan(STORY_TEXT).catch((e: unknown) => e)) as LlmRequestError;

    expect(error).toBeInstanceOf(LlmRequestError);
    expect(error.code).toBe('LLM_HTTP_ERROR');
    expect(error.status).toBe(500);
    expect(error.url).toBe(`${responder.url}/chat/completions`);
    expect(error.message).toContain(`${responder.url}/chat/completions answered HTTP 500`);
    expect(error.message).toContain('out of memory');
    expect(error.message).not.toContain('sk-test');
  });

  it('turns a silent server into a timeout error naming the URL', async () => {
    const { planner, responder } = await plannerWith([{ hang: true }], 200);
    const error = (await planner.plan(STORY_TEXT).catch((e: unknown) => e)) as LlmRequestError;

    expect(error).toBeInstanceOf(LlmRequestError);
    expect(error.code).toBe('LLM_TIMEOUT');
    expect(error.message).toBe(`the LLM endpoint ${responder.url}/chat/completions did not answer within 200 ms`);
    expect(error.hint).toContain('planner.llm.timeoutMs');
  });

  it('names the URL when nothing listens there', async () => {
    const closed = await startRecordedResponder([]);
    const url = closed.url;
    await closed.close();
    const error = (await new LlmPlanner({ url, model: 'm' }).plan(STORY_TEXT).catch((e: unknown) => e)) as LlmRequestError;
    expect(error.code).toBe('LLM_UNREACHABLE');
    expect(error.message).toContain(`${url}/chat/completions`);
  });
});
