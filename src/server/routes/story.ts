import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { writeFileAtomic } from '../../assets/atomic-file.js';
import { createPlanner } from '../../story/planners/index.js';
import { parseStory, saveStory, StoryFormatError, validateStory } from '../../story/format/index.js';
import type { Api } from '../api.js';
import { errorReplies, projectParams } from '../api-schemas.js';
import { ApiError } from '../errors/api-error.js';
import type { ServerContext } from '../server-context.js';

const storyReply = z.object({
  yaml: z.string().describe('story.yaml as stored'),
  story: z.record(z.string(), z.unknown()).describe('the parsed story (see schema/story.schema.json)'),
});

const shotParams = projectParams.extend({ shot: z.string().regex(/^shot-\d{3,}$/).describe('shot id, e.g. shot-003') });

/**
 * story.yaml of a project: read, replace, patch one shot, plan from text. Every write is
 * validated first and written atomically; a rejected edit leaves the file byte for byte as it was.
 */
export function storyRoutes(app: Api, ctx: ServerContext): void {
  const storyPath = (project: string) => join(ctx.projects.dir(project), 'story.yaml');
  const current = (project: string) => {
    const yaml = readFileSync(storyPath(project), 'utf8');
    return { yaml, story: parseStory(yaml, 'story.yaml') as unknown as Record<string, unknown> };
  };
  const notWhileRunning = (project: string) => {
    const run = ctx.runs.activeFor(project);
    if (run) throw new ApiError(409, 'RUN_IN_PROGRESS', `project '${project}' has a run in progress (${run.id})`, { hint: 'edit the story when the run has ended, or cancel it' });
  };

  app.get('/api/projects/:project/story', {
    config: { scope: 'read' },
    schema: { summary: 'story.yaml and the parsed story', tags: ['story'], params: projectParams, response: { 200: storyReply, ...errorReplies(400, 401, 403, 404, 422) } },
  }, async (request) => current(request.params.project));

  app.put('/api/projects/:project/story', {
    config: { scope: 'generate', storyField: 'body.yaml' },
    schema: {
      summary: 'replace story.yaml (validated first: a rejected file changes nothing)',
      tags: ['story'], params: projectParams,
      body: z.strictObject({ yaml: z.string().min(1).max(5_000_000).describe('the whole story.yaml') }),
      response: { 200: storyReply, ...errorReplies(400, 401, 403, 404, 409, 413, 422) },
    },
  }, async (request) => {
    const path = storyPath(request.params.project);
    notWhileRunning(request.params.project);
    const story = parseStory(request.body.yaml, 'story.yaml');
    await writeFileAtomic(path, request.body.yaml);
    return { yaml: request.body.yaml, story: story as unknown as Record<string, unknown> };
  });

  app.patch('/api/projects/:project/shots/:shot', {
    config: { scope: 'generate', storyField: 'body' },
    schema: {
      summary: 'change fields of one shot (null removes an optional field); the whole story is validated first',
      tags: ['story'], params: shotParams,
      body: z.record(z.string(), z.unknown()).describe('shot fields to set, e.g. {"duration": 4, "camera": {"size": "close-up"}}'),
      response: { 200: storyReply, ...errorReplies(400, 401, 403, 404, 409, 413, 422) },
    },
  }, async (request) => {
    const { project, shot } = request.params;
    const path = storyPath(project);
    notWhileRunning(project);
    if ('id' in request.body) throw new ApiError(400, 'BAD_REQUEST', 'a shot id cannot be changed', { field: 'body.id', hint: 'remove id from the body' });
    const raw = parseYaml(readFileSync(path, 'utf8')) as { scenes?: { shots?: Record<string, unknown>[] }[] };
    let where: string | undefined;
    raw.scenes?.forEach((scene, si) => scene.shots?.forEach((s, hi) => {
      if (s.id !== shot) return;
      where = `scenes[${si}].shots[${hi}]`;
      for (const [key, value] of Object.entries(request.body)) {
        if (value === null) delete s[key];
        else s[key] = value;
      }
    }));
    if (!where) throw new ApiError(404, 'NOT_FOUND', `shot '${shot}' not found in project '${project}'`, { field: 'params.shot', hint: 'list shots with GET /api/projects/{project}/shots' });
    const result = validateStory(raw, () => undefined, 'story.yaml');
    if (!result.ok) throw new StoryFormatError('STORY_INVALID', result.issues);
    saveStory(result.story, path, { schema: false });
    return current(project);
  });

  app.post('/api/projects/:project/plan', {
    config: { scope: 'generate', storyField: 'body.text' },
    schema: {
      summary: 'plan story text into this project\'s story.yaml (replace: true is needed to overwrite it)',
      tags: ['story'], params: projectParams,
      body: z.strictObject({
        text: z.string().min(1).max(1_000_000).describe('the story as plain text or Markdown'),
        planner: z.enum(['rules', 'llm']).optional(),
        replace: z.boolean().describe('must be true: the current story.yaml is replaced (its previous text is kept as story.yaml.bak)'),
      }),
      response: { 200: storyReply, ...errorReplies(400, 401, 403, 404, 409, 413, 422, 503) },
    },
  }, async (request) => {
    const { project } = request.params;
    const path = storyPath(project);
    notWhileRunning(project);
    if (!request.body.replace) throw new ApiError(409, 'STORY_EXISTS', 'planning replaces the current story.yaml', { field: 'body.replace', hint: 'send replace: true (the old file is kept as story.yaml.bak)' });
    const planner = createPlanner({ ...ctx.config.planner, ...(request.body.planner ? { kind: request.body.planner } : {}) });
    const story = await planner.plan(request.body.text, {});
    await writeFileAtomic(`${path}.bak`, readFileSync(path));
    saveStory(story, path, { schema: false });
    return current(project);
  });
}
