import { formatStoryIssue } from '../../format/errors/story-format-error.js';
import { validateStory } from '../../format/load.js';
import type { Story } from '../../format/schema.js';

export type ReplyCheck = { ok: true; story: Story } | { ok: false; problems: string[] };

/**
 * Reads a model's reply as a story: tolerates a Markdown fence around the JSON, then applies
 * `defaults` (fields the caller decides, e.g. the seed) under what the model wrote, and
 * validates with the story schema and its cross-reference checks.
 */
export function checkReply(reply: string, defaults: Record<string, unknown>, overrides: Record<string, unknown>): ReplyCheck {
  const body = unfence(reply);
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    return { ok: false, problems: [`the reply is not valid JSON: ${(error as Error).message}`] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, problems: ['the reply must be one JSON object with title and scenes'] };
  }
  const merged: Record<string, unknown> = { ...defaults, ...stripPrompts(data as Record<string, unknown>), ...overrides };
  const result = validateStory(merged);
  if (result.ok) return { ok: true, story: result.story };
  return { ok: false, problems: result.issues.map((issue) => formatStoryIssue(issue)) };
}

function unfence(reply: string): string {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(reply);
  return (fenced ? fenced[1]! : reply).trim();
}

/** Shot prompts are always expanded by `shotPrompt`, so a model's own are dropped. */
function stripPrompts(data: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(data.scenes)) return data;
  return {
    ...data,
    scenes: data.scenes.map((scene: unknown) => {
      if (scene === null || typeof scene !== 'object' || !Array.isArray((scene as { shots?: unknown }).shots)) return scene;
      const shots = (scene as { shots: unknown[] }).shots.map((shot) => {
        if (shot === null || typeof shot !== 'object') return shot;
        const { prompt: _prompt, ...rest } = shot as Record<string, unknown>;
        return rest;
      });
      return { ...(scene as object), shots };
    }),
  };
}
