import { allTemplates } from '../../catalog/templates/index.js';
import type { AnyTemplate } from '../../catalog/templates/index.js';
import { closestMatch } from '../../platform/did-you-mean.js';
import { RENDER_STAGES, STAGE_CAPABILITY } from './vocabulary.js';

/** One broken reference: the field path, what is wrong and what to do. */
export interface ReferenceIssue {
  path: Array<string | number>;
  message: string;
  hint: string;
  input?: unknown;
}

type Loose = Record<string, unknown>;
const list = (value: unknown): Loose[] => (Array.isArray(value) ? value.map((v) => (v !== null && typeof v === 'object' ? (v as Loose) : {})) : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Checks what JSON Schema cannot: ids are unique, shots name characters and locations that
 * exist, and each render stage names a template that exists and can do that stage's job.
 * It reads loosely (anything of the wrong shape is skipped), so it can run on a document
 * with schema errors too and all problems are reported in one go.
 */
export function checkStoryReferences(story: unknown): ReferenceIssue[] {
  const root = story !== null && typeof story === 'object' ? (story as Loose) : {};
  const issues: ReferenceIssue[] = [];
  const characterIds = uniqueIds(list(root.characters), ['characters'], 'character', issues);
  const locationIds = uniqueIds(list(root.locations), ['locations'], 'location', issues);
  uniqueIds(list(root.scenes), ['scenes'], 'scene', issues);

  const shotSeen = new Map<string, string>();
  list(root.scenes).forEach((scene, s) => {
    const scenePath = ['scenes', s];
    const sceneLocation = text(scene.location);
    if (sceneLocation !== undefined) checkRef(sceneLocation, [...scenePath, 'location'], 'location', locationIds, issues);
    list(scene.shots).forEach((shot, i) => {
      const path = [...scenePath, 'shots', i];
      const shotId = text(shot.id);
      if (shotId === undefined) return;
      const first = shotSeen.get(shotId);
      if (first) {
        issues.push({
          path: [...path, 'id'],
          message: `duplicate shot id '${shotId}' (first used at ${first})`,
          hint: 'give every shot its own id (shot-001, shot-002, …)',
          input: shotId,
        });
      } else {
        shotSeen.set(shotId, `scenes[${s}].shots[${i}]`);
      }
      (Array.isArray(shot.characters) ? shot.characters : []).forEach((c: unknown, k: number) => {
        if (typeof c === 'string') checkRef(c, [...path, 'characters', k], 'character', characterIds, issues);
      });
      const shotLocation = text(shot.location);
      if (shotLocation !== undefined) checkRef(shotLocation, [...path, 'location'], 'location', locationIds, issues);
      list(shot.dialogue).forEach((line, k) => {
        const speaker = text(line.speaker);
        if (speaker !== undefined) checkRef(speaker, [...path, 'dialogue', k, 'speaker'], 'character', characterIds, issues);
      });
    });
  });

  const render = root.render !== null && typeof root.render === 'object' ? (root.render as Loose) : {};
  checkRender(render, issues);
  return issues;
}

function uniqueIds(items: Loose[], path: string[], what: string, issues: ReferenceIssue[]): string[] {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const id = text(item.id);
    if (id === undefined) return;
    const first = seen.get(id);
    if (first !== undefined) {
      issues.push({
        path: [...path, index, 'id'],
        message: `duplicate ${what} id '${id}' (also ${path.join('.')}[${first}])`,
        hint: `rename one of them; ${what} ids must be unique`,
        input: id,
      });
    } else {
      seen.set(id, index);
    }
  });
  return [...seen.keys()];
}

function checkRef(value: string, path: Array<string | number>, what: 'character' | 'location', known: string[], issues: ReferenceIssue[]): void {
  if (known.includes(value)) return;
  const guess = closestMatch(value, known);
  const section = what === 'character' ? 'characters' : 'locations';
  issues.push({
    path,
    message: `unknown ${what} '${value}'${known.length ? ` (defined: ${known.join(', ')})` : ` (no ${section} are defined)`}`,
    hint: guess ? `did you mean '${guess}'?` : `add a ${what} with id '${value}' under ${section}:, or use a defined id`,
    input: value,
  });
}

function checkRender(render: Loose, issues: ReferenceIssue[]): void {
  const templates = new Map(allTemplates().map((t) => [t.id, t]));
  for (const stage of RENDER_STAGES) {
    const raw = render[stage];
    if (raw === null || typeof raw !== 'object') continue;
    const templateId = text((raw as Loose).template);
    if (templateId === undefined) continue;
    const rawParams = (raw as Loose).params;
    const settings = {
      template: templateId,
      params: rawParams !== null && typeof rawParams === 'object' && !Array.isArray(rawParams) ? (rawParams as Record<string, unknown>) : undefined,
    };
    const path = ['render', stage];
    const capability = STAGE_CAPABILITY[stage];
    const suitable = allTemplates()
      .filter((t) => t.capabilities.includes(capability))
      .map((t) => t.id);
    const template = templates.get(settings.template);
    if (!template) {
      const guess = closestMatch(settings.template, [...templates.keys()]);
      issues.push({
        path: [...path, 'template'],
        message: `unknown template '${settings.template}'`,
        hint: guess ? `did you mean '${guess}'?` : `use one of the ${stage} templates: ${suitable.join(', ')}`,
        input: settings.template,
      });
      continue;
    }
    if (!template.capabilities.includes(capability)) {
      issues.push({
        path: [...path, 'template'],
        message: `template '${template.id}' cannot be the ${stage} stage: it has ${template.capabilities.join(', ')}, not ${capability}`,
        hint: `use a template with ${capability}: ${suitable.join(', ')}`,
        input: settings.template,
      });
      continue;
    }
    if (settings.params) checkParams(template, settings.params, [...path, 'params'], issues);
  }
}

function checkParams(template: AnyTemplate, params: Record<string, unknown>, path: Array<string | number>, issues: ReferenceIssue[]): void {
  const shape = (template.params as { shape?: Record<string, unknown> }).shape;
  const names = shape ? Object.keys(shape) : [];
  for (const key of Object.keys(params)) {
    if (shape && !(key in shape)) {
      const guess = closestMatch(key, names);
      issues.push({
        path: [...path, key],
        message: `template '${template.id}' has no parameter '${key}'`,
        hint: guess ? `did you mean '${guess}'?` : `its parameters are: ${names.join(', ')}`,
        input: params[key],
      });
    }
  }
  const result = template.params.safeParse(params);
  if (result.success) return;
  for (const issue of result.error.issues) {
    const key = issue.path[0];
    // Only judge what the user wrote: the engine fills prompts and input files per shot.
    if (typeof key !== 'string' || !(key in params) || (shape && !(key in shape))) continue;
    issues.push({
      path: [...path, ...(issue.path as Array<string | number>)],
      message: `invalid value for '${template.id}' parameter ${issue.path.join('.')}: ${issue.message}`,
      hint: 'give a valid value, or remove it to use the template default',
      input: params[key],
    });
  }
}
