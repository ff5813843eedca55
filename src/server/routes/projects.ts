import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createPlanner } from '../../story/planners/index.js';
import { loadStory, parseStory, saveStory, type Story } from '../../story/format/index.js';
import type { Api } from '../api.js';
import { errorReplies, projectParams } from '../api-schemas.js';
import { ApiError } from '../errors/api-error.js';
import type { ServerContext } from '../server-context.js';

const SAMPLE_STORY = fileURLToPath(new URL('../../../examples/stories/story.yaml', import.meta.url));

export const projectSummary = z.object({
  id: z.string(),
  title: z.string(),
  scenes: z.number().int(),
  shots: z.number().int(),
  seconds: z.number(),
  running: z.string().nullable().describe('the id of the run in progress, if any'),
});

export function summarise(ctx: ServerContext, id: string, story: Story): z.infer<typeof projectSummary> {
  const shots = story.scenes.flatMap((s) => s.shots);
  return {
    id, title: story.title, scenes: story.scenes.length, shots: shots.length,
    seconds: shots.reduce((sum, s) => sum + s.duration, 0), running: ctx.runs.activeFor(id)?.id ?? null,
  };
}

export const createProjectBody = z.strictObject({
  id: z.string().min(1).max(63).describe('the new project id: lower-case letters, digits and dashes'),
  from: z.enum(['text', 'yaml', 'sample']).describe('text: plan a story text; yaml: a story.yaml; sample: the example story'),
  text: z.string().min(1).max(1_000_000).optional().describe("with from=text: the story as plain text or Markdown"),
  yaml: z.string().min(1).max(5_000_000).optional().describe('with from=yaml: the story.yaml text'),
  planner: z.enum(['rules', 'llm']).optional().describe('with from=text: the planner (default: config planner.kind)'),
});

export function projectRoutes(app: Api, ctx: ServerContext): void {
  app.get('/api/projects', {
    config: { scope: 'read' },
    schema: { summary: 'list projects', tags: ['projects'], response: { 200: z.object({ projects: z.array(projectSummary) }), ...errorReplies(401, 403) } },
  }, async () => {
    const projects = [];
    for (const id of ctx.projects.list()) {
      try {
        projects.push(summarise(ctx, id, loadStory(join(ctx.projects.root, id, 'story.yaml'))));
      } catch {
        projects.push({ id, title: '(story.yaml has errors)', scenes: 0, shots: 0, seconds: 0, running: ctx.runs.activeFor(id)?.id ?? null });
      }
    }
    return { projects };
  });

  app.post('/api/projects', {
    config: { scope: 'generate', storyField: 'body.yaml' },
    schema: {
      summary: 'create a project from story text (planned), a story.yaml, or the sample',
      tags: ['projects'],
      body: createProjectBody,
      response: { 201: projectSummary, ...errorReplies(400, 401, 403, 409, 413, 422) },
    },
  }, async (request, reply) => {
    const body = request.body;
    if (body.from === 'text' && !body.text) throw new ApiError(400, 'BAD_REQUEST', 'from=text needs the story text', { field: 'body.text', hint: 'send the story in body.text' });
    if (body.from === 'yaml' && !body.yaml) throw new ApiError(400, 'BAD_REQUEST', 'from=yaml needs the story.yaml text', { field: 'body.yaml', hint: 'send the file in body.yaml' });
    // Everything is checked before the folder exists: a rejected request leaves nothing behind.
    let story: Story;
    let text: string | undefined;
    if (body.from === 'yaml') {
      story = parseStory(body.yaml!, 'story.yaml');
      text = body.yaml!;
    } else if (body.from === 'sample') {
      text = readFileSync(SAMPLE_STORY, 'utf8').replace(/^# yaml-language-server:.*\n/, '');
      story = parseStory(text, 'story.yaml');
    } else {
      const planner = createPlanner({ ...ctx.config.planner, ...(body.planner ? { kind: body.planner } : {}) });
      story = await planner.plan(body.text!, {});
    }
    const dir = ctx.projects.create(body.id);
    try {
      if (text !== undefined) writeFileSync(join(dir, 'story.yaml'), text);
      else saveStory(story, join(dir, 'story.yaml'));
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    ctx.events.append(body.id, 'run', { project: body.id, state: 'created' });
    return reply.status(201).send(summarise(ctx, body.id, story));
  });

  app.get('/api/projects/:project', {
    config: { scope: 'read' },
    schema: { summary: 'one project', tags: ['projects'], params: projectParams, response: { 200: projectSummary, ...errorReplies(400, 401, 403, 404, 422) } },
  }, async (request) => {
    const dir = ctx.projects.dir(request.params.project);
    return summarise(ctx, request.params.project, loadStory(join(dir, 'story.yaml')));
  });

  app.delete('/api/projects/:project', {
    config: { scope: 'admin' },
    schema: { summary: 'delete a project and its store', tags: ['projects'], params: projectParams, response: { 204: z.null(), ...errorReplies(400, 401, 403, 404, 409) } },
  }, async (request, reply) => {
    const { project } = request.params;
    ctx.projects.dir(project);
    const running = ctx.runs.activeFor(project);
    if (running) throw new ApiError(409, 'RUN_IN_PROGRESS', `project '${project}' has a run in progress (${running.id})`, { hint: 'cancel the run first' });
    ctx.projects.remove(project);
    return reply.status(204).send(null);
  });
}
