import { z } from 'zod';
import { nodeDefSchema } from './schema.js';
import type { ObjectInfo } from './types.js';

/** A node class the worker defines whose definition this client cannot read. */
export interface UnreadableNode {
  name: string;
  /** The first thing that did not parse: `output[0]: expected a string, got an array`. */
  problem: string;
}

export interface ObjectInfoReading {
  objectInfo: ObjectInfo;
  /** Classes skipped because their definition did not parse; empty when all did. */
  unreadable: UnreadableNode[];
}

const bodySchema = z.record(z.string(), z.unknown());

function pathText(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`), '');
}

function describeIssue(issue: z.core.$ZodIssue | undefined, value: unknown): string {
  if (!issue) return 'not a node definition';
  let found: unknown = value;
  for (const key of issue.path) found = found && typeof found === 'object' ? (found as Record<PropertyKey, unknown>)[key] : undefined;
  const shown = JSON.stringify(found);
  const sample = shown === undefined ? '' : ` (got ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown})`;
  return `${pathText(issue.path) || '$'}: ${issue.message.replace(/^Invalid input: /, '')}${sample}`;
}

/**
 * Reads a `/object_info` body class by class: one custom node pack with a definition the
 * schema does not foresee (comfyui_controlnet_aux's ControlNetPreprocessorSelector declares
 * a list of choices as its output type) must not cost the worker's other 500 classes.
 * Classes that do not parse are left out and named in `unreadable`; a body that is not an
 * object at all still throws (the answer is not an object_info).
 */
export function readObjectInfo(json: unknown): ObjectInfoReading {
  const body = bodySchema.parse(json);
  const objectInfo: ObjectInfo = {};
  const unreadable: UnreadableNode[] = [];
  for (const [name, def] of Object.entries(body)) {
    const parsed = nodeDefSchema.safeParse(def);
    if (parsed.success) objectInfo[name] = parsed.data as unknown as ObjectInfo[string];
    else unreadable.push({ name, problem: describeIssue(parsed.error.issues[0], def) });
  }
  return { objectInfo, unreadable };
}

/** One line for logs and reports: `ControlNetPreprocessorSelector (output[0]: …)`. */
export function formatUnreadable(nodes: readonly UnreadableNode[]): string {
  return nodes.map((n) => `${n.name} (${n.problem})`).join('; ');
}
