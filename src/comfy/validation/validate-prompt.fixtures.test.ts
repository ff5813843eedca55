import { describe, expect, it } from 'vitest';
import { loadTranscript, loadTranscripts, type TranscriptHttp } from '../../../test/support/comfy-transcripts.js';
import { defaultObjectInfo } from '../object-info/load.js';
import { validatePromptRequest } from './prompt-request.js';
import { validatePrompt } from './validate-prompt.js';

// Files in the recorded server's input/ folder when scenario 05 ran (uploaded in 02).
const INPUT_FILES = new Set(['example.png', 'rc_test.png', 'rc_test (1).png', 'fixture/sub/rc_test.png']);
const inputFileExists = (name: string): boolean => INPUT_FILES.has(name);

function promptPosts(file: string): TranscriptHttp[] {
  return loadTranscript(file).events.filter(
    (e): e is TranscriptHttp => e.kind === 'http' && e.request.method === 'POST' && /^(\/api)?\/prompt$/.test(e.request.path),
  );
}

/** Tracebacks differ by install path and line; compare them by shape only. */
function withTracebackShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withTracebackShape);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'traceback') {
      expect(Array.isArray(v) && v.length > 0 && v.every((line) => typeof line === 'string')).toBe(true);
      out[key] = '<traceback>';
    } else out[key] = withTracebackShape(v);
  }
  return out;
}

describe('validatePromptRequest reproduces every POST /prompt of 05-invalid-prompts', () => {
  const posts = promptPosts('05');
  it('covers all 18 recorded requests', () => expect(posts).toHaveLength(18));

  for (const post of posts) {
    it(`${post.label ?? post.request.path} → ${post.response.status}`, () => {
      if (post.request.json === undefined) {
        // Malformed JSON never reaches validation: the HTTP layer answers 500 itself.
        expect(post.response.status).toBe(500);
        expect(() => JSON.parse((post.request as { raw_body?: string }).raw_body ?? '')).toThrow();
        return;
      }
      const outcome = validatePromptRequest(post.request.json, defaultObjectInfo(), { inputFileExists });
      expect(outcome.status).toBe(post.response.status);
      if (outcome.status === 400) {
        expect(withTracebackShape(outcome.body)).toEqual(withTracebackShape(post.response.json));
      } else if (outcome.status === 200) {
        const recorded = post.response.json as { prompt_id: string; node_errors: unknown };
        expect(withTracebackShape(outcome.nodeErrors)).toEqual(withTracebackShape(recorded.node_errors));
        const sentId = (post.request.json as { prompt_id?: string }).prompt_id;
        expect(outcome.promptId).toBe(sentId);
        if (sentId !== undefined) expect(recorded.prompt_id).toBe(sentId);
      }
    });
  }

  it('reproduces the recorded tracebacks of KeyError and IndexError exactly', () => {
    const byLabel = (label: string) => posts.find((p) => p.label === label)!;
    for (const label of ['link to a non-existent node', 'link to an output index that does not exist']) {
      const post = byLabel(label);
      const outcome = validatePromptRequest(post.request.json, defaultObjectInfo(), { inputFileExists });
      expect(outcome.status).toBe(400);
      if (outcome.status === 400) expect(outcome.body).toEqual(post.response.json);
    }
  });
});

describe('every accepted prompt of the other transcripts validates', () => {
  for (const transcript of loadTranscripts().filter((t) => !t.file.startsWith('05'))) {
    for (const post of promptPosts(transcript.file.slice(0, 2))) {
      it(`${transcript.file}: ${post.label ?? 'POST /prompt'}`, () => {
        expect(post.response.status).toBe(200);
        const body = post.request.json as { prompt: unknown; partial_execution_targets?: string[] };
        const outcome = validatePrompt(body.prompt, defaultObjectInfo(), {
          inputFileExists,
          partialExecutionTargets: body.partial_execution_targets ?? null,
        });
        expect(outcome.ok).toBe(true);
        expect(outcome.nodeErrors).toEqual((post.response.json as { node_errors: unknown }).node_errors);
        if (!outcome.ok) return;
        // The history entry stores the prompt as validated and the outputs it executes.
        const id = (post.response.json as { prompt_id: string }).prompt_id;
        const entry = historyEntry(transcript.file.slice(0, 2), id);
        if (transcript.file.startsWith('03')) expect(entry).toBeDefined();
        if (entry) {
          expect(outcome.prompt).toEqual(entry[2]);
          expect([...outcome.outputs].sort()).toEqual([...entry[4]].sort());
        }
      });
    }
  }
});

function historyEntry(prefix: string, promptId: string): [number, string, unknown, unknown, string[]] | undefined {
  for (const event of loadTranscript(prefix).events) {
    if (event.kind !== 'http' || event.request.method !== 'GET' || !event.request.path.includes('/history')) continue;
    const body = event.response.json as Record<string, { prompt?: [number, string, unknown, unknown, string[]] }> | undefined;
    const entry = body?.[promptId]?.prompt;
    if (entry) return entry;
  }
  return undefined;
}
