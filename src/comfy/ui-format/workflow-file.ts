import { InputLimitError } from '../../platform/errors/input-limit-error.js';
import { readBoundedText } from '../../platform/bounded-file.js';
import type { ApiGraph } from '../graph.js';
import { extendedObjectInfo } from '../object-info/extra-nodes.js';
import { loadObjectInfoFile } from '../object-info/load.js';
import type { ObjectInfo } from '../object-info/types.js';
import { convertUiToApi } from './convert.js';
import { detectWorkflowFormat, type WorkflowFormat } from './detect.js';
import { InvalidWorkflowError } from './errors/invalid-workflow-error.js';

export interface WorkflowFileOptions {
  /** An object_info JSON saved from the worker; default: the bundled snapshot plus extra node schemas. */
  objectInfoPath?: string;
  objectInfo?: ObjectInfo;
  /** See ConvertOptions.lenient. */
  lenient?: boolean;
}

export interface WorkflowFileResult {
  prompt: ApiGraph;
  warnings: string[];
  format: Exclude<WorkflowFormat, 'unknown'>;
}

/**
 * Reads a workflow file in either format and returns the API prompt: editor workflows are
 * converted, API prompts (or `/prompt` request bodies) pass through. Backs `storycore convert`.
 */
export function convertWorkflowFile(path: string, options: WorkflowFileOptions = {}): WorkflowFileResult {
  let json: unknown;
  try {
    json = JSON.parse(readBoundedText(path, path));
  } catch (cause) {
    if (cause instanceof InputLimitError) throw cause;
    throw new InvalidWorkflowError(`cannot read ${path} as JSON: ${(cause as Error).message}`, [], cause);
  }
  const detected = detectWorkflowFormat(json);
  if (detected.format === 'unknown') {
    throw new InvalidWorkflowError(`${path} is neither an editor workflow nor an API prompt: ${detected.reasons.join('; ')}`, detected.reasons);
  }
  if (detected.format === 'api') {
    const body = json as Record<string, unknown>;
    const wrapped = typeof body.prompt === 'object' && body.prompt !== null && !('class_type' in body.prompt);
    const prompt = (wrapped ? body.prompt : body) as ApiGraph;
    return { prompt, warnings: [], format: 'api' };
  }
  const objectInfo = options.objectInfo ?? (options.objectInfoPath ? loadObjectInfoFile(options.objectInfoPath) : extendedObjectInfo());
  const { prompt, warnings } = convertUiToApi(json, objectInfo, { lenient: options.lenient ?? false });
  return { prompt, warnings, format: 'ui' };
}
