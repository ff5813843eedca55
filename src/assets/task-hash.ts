import type { AnyTemplate } from '../catalog/templates/index.js';
import { canonicalJson } from './canonical-json.js';
import { TaskHashInputError } from './errors/task-hash-input-error.js';
import { isSha256, sha256Hex } from './sha256.js';

/** Everything that decides what a task produces; nothing about where or when it runs. */
export interface TaskIdentity {
  templateId: string;
  templateVersion: string;
  /** The template parameters (prompt, size, seed…). Parse them first so defaults are explicit. */
  params: Record<string, unknown>;
  /** Input name (e.g. `start_image`) → sha256 of the asset fed to it. */
  inputs: Record<string, string>;
}

/** Bumped only if the hashed document changes shape; old hashes then simply miss the index. */
const TASK_HASH_SCHEME = 'storycore.task/1';

/**
 * The task's identity: sha256 (hex) of the canonical JSON of its template id and version,
 * parameters and input asset hashes. Stable across processes, key order and `1.0`/`1`;
 * any change to a parameter value, an input or the template version gives another hash.
 *
 * @example taskHash({ templateId: 'wan22-i2v-14b', templateVersion: '1.0.0', params, inputs: { start_image: keyframeSha } })
 */
export function taskHash(task: TaskIdentity): string {
  const inputs: Record<string, string> = {};
  for (const [name, sha] of Object.entries(task.inputs)) {
    const normalised = typeof sha === 'string' ? sha.toLowerCase() : sha;
    if (!isSha256(normalised)) throw new TaskHashInputError(`inputs.${name}`, 'is not a sha256 hex digest');
    inputs[name] = normalised;
  }
  if (!task.templateId) throw new TaskHashInputError('templateId', 'is empty');
  return sha256Hex(
    canonicalJson({ scheme: TASK_HASH_SCHEME, templateId: task.templateId, templateVersion: task.templateVersion, params: task.params, inputs }),
  );
}

/**
 * `taskHash` of a template run with raw parameters: they go through `template.parse` first, so
 * `{}` and `{steps: 20}` (the default) are the same task.
 */
export function taskHashFor(template: AnyTemplate, rawParams: unknown, inputs: Record<string, string> = {}): string {
  return taskHash({ templateId: template.id, templateVersion: template.version, params: template.parse(rawParams) as Record<string, unknown>, inputs });
}
