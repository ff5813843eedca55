import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { jsonKind } from '../platform/json-kind.js';
import type { SubmitOptions } from '../comfy/client/job-types.js';
import type { ApiGraph } from '../comfy/graph.js';
import { isLink } from '../comfy/graph.js';
import { jsonErrorLocation, jsonErrorReason } from '../config/json-position.js';
import { GraphFileError } from './errors/graph-file-error.js';
import { InputLimitError } from '../platform/errors/input-limit-error.js';
import { readBoundedText } from '../platform/bounded-file.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../platform/input-limits.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads an API-format graph from disk with one clear error for each way it can be wrong:
 * missing, not JSON (line and column), an editor (UI-format) workflow, a node without
 * `class_type`, a link to a node that does not exist. A `/prompt` request body
 * (`{"prompt": {...}}`) is accepted and unwrapped; `readGraphRequest` also keeps its other fields.
 */
export function readGraphFile(path: string, cwd: string, limits: InputLimits = DEFAULT_INPUT_LIMITS): ApiGraph {
  return checkGraph(readJsonFile(path, cwd, limits), path);
}

/** A graph file, and when it is a full `/prompt` request body, the request fields beside `prompt`. */
export interface GraphRequest {
  graph: ApiGraph;
  /** prompt_id, number, front, extra_data and partial_execution_targets of the body, checked. */
  submit: SubmitOptions;
}

/**
 * Reads a graph file like `readGraphFile`; a `/prompt` request body keeps `prompt_id`, `number`,
 * `front`, `extra_data` and `partial_execution_targets` so the worker gets the request as saved.
 * `client_id` (in the body or extra_data) is left to the client, which must own its socket.
 */
export function readGraphRequest(path: string, cwd: string, limits: InputLimits = DEFAULT_INPUT_LIMITS): GraphRequest {
  const json = readJsonFile(path, cwd, limits);
  const graph = checkGraph(json, path);
  return { graph, submit: isRequestBody(json) ? requestFields(json, graph, path) : {} };
}

/** The file's JSON, within the size and depth limits (checked before it is read and parsed). */
function readJsonFile(path: string, cwd: string, limits: InputLimits): unknown {
  const absolute = resolve(cwd, path);
  let text: string;
  try {
    if (statSync(absolute).isDirectory()) {
      throw new GraphFileError('GRAPH_FILE_UNREADABLE', path, `${path} is a directory, not a graph file`, 'pass the path of an API-format .json file');
    }
    text = readBoundedText(absolute, path, limits);
  } catch (cause) {
    if (cause instanceof GraphFileError || cause instanceof InputLimitError) throw cause;
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new GraphFileError('GRAPH_FILE_NOT_FOUND', path, `graph file ${path} does not exist`, 'check the path (example graphs are in examples/graphs/)', cause);
    }
    throw new GraphFileError('GRAPH_FILE_UNREADABLE', path, `cannot read ${path}: ${(cause as Error).message}`, 'check the file permissions', cause);
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    const at = jsonErrorLocation(text, cause);
    const where = at ? ` at line ${at.line}, column ${at.column}` : '';
    throw new GraphFileError(
      'GRAPH_NOT_JSON',
      path,
      `${path} is not valid JSON${where}: ${jsonErrorReason(cause)}`,
      at ? `fix line ${at.line} of the file, or re-export it from ComfyUI with 'Save (API)'` : "re-export it from ComfyUI with 'Save (API)'",
      cause,
    );
  }
  return json;
}

function isRequestBody(json: unknown): json is Record<string, unknown> {
  return isObject(json) && isObject(json.prompt) && !('class_type' in json.prompt);
}

function requestFields(body: Record<string, unknown>, graph: ApiGraph, path: string): SubmitOptions {
  const bad = (field: string, what: string, fix: string) => new GraphFileError('GRAPH_INVALID', path, `${path}: ${field} ${what}`, fix);
  const submit: SubmitOptions = {};
  const { prompt_id: promptId, number, front, extra_data: extraData, partial_execution_targets: targets } = body;
  if (promptId !== undefined) {
    if (typeof promptId !== 'string' || promptId.trim() === '') throw bad('prompt_id', 'must be a non-empty string', 'give a UUID, or remove prompt_id to get a random one');
    submit.promptId = promptId;
  }
  if (number !== undefined) {
    if (typeof number !== 'number' || !Number.isFinite(number)) throw bad('number', `must be a number, not ${JSON.stringify(number)}`, 'give the queue position as a number, or remove it');
    submit.number = number;
  }
  if (front !== undefined) {
    if (typeof front !== 'boolean') throw bad('front', `must be true or false, not ${JSON.stringify(front)}`, 'use "front": true to queue the prompt first');
    if (front) submit.front = true;
  }
  if (extraData !== undefined) {
    if (!isObject(extraData)) throw bad('extra_data', 'must be an object', 'give extra_data as {"extra_pnginfo": {...}}, or remove it');
    const { client_id: _ignored, ...rest } = extraData;
    if (Object.keys(rest).length > 0) submit.extraData = rest;
  }
  if (targets !== undefined) {
    if (!Array.isArray(targets) || targets.some((t) => typeof t !== 'string')) {
      throw bad('partial_execution_targets', 'must be a list of node ids', 'give the output node ids to run, as strings: ["9"]');
    }
    const unknown = (targets as string[]).filter((t) => !(t in graph));
    if (unknown.length > 0) throw bad('partial_execution_targets', `names node ${unknown.join(', ')}, which is not in the graph`, 'list output node ids of this graph');
    submit.partialExecutionTargets = targets as string[];
  }
  return submit;
}

export function checkGraph(json: unknown, path: string): ApiGraph {
  if (!isObject(json)) {
    throw new GraphFileError(
      'GRAPH_INVALID',
      path,
      `${path} holds ${jsonKind(json)}, not an API-format graph`,
      "an API-format graph is an object of node id → {class_type, inputs}; export one with 'Save (API)'",
    );
  }
  if (Array.isArray(json.nodes) || Array.isArray(json.links)) {
    throw new GraphFileError(
      'GRAPH_UI_FORMAT',
      path,
      `${path}: this is a UI-format workflow saved from the editor`,
      "export it with 'Save (API)' or run `storycore convert`",
    );
  }
  const graph = isObject(json.prompt) && !('class_type' in json.prompt) ? json.prompt : json;
  const ids = Object.keys(graph);
  if (ids.length === 0) {
    throw new GraphFileError('GRAPH_INVALID', path, `${path} has no nodes`, "export a workflow with 'Save (API)' in ComfyUI");
  }
  for (const id of ids) {
    const node = graph[id];
    if (!isObject(node) || typeof node.class_type !== 'string' || node.class_type === '') {
      throw new GraphFileError(
        'GRAPH_INVALID',
        path,
        `${path}: node ${id} has no class_type`,
        'every entry of an API-format graph is {"class_type": "...", "inputs": {...}}; is this file a graph?',
      );
    }
    if (!isObject(node.inputs)) {
      throw new GraphFileError('GRAPH_INVALID', path, `${path}: node ${id} (${node.class_type}) has no inputs object`, 'give the node an "inputs": {} object');
    }
    for (const [name, value] of Object.entries(node.inputs)) {
      if (isLink(value) && !(value[0] in graph)) {
        throw new GraphFileError(
          'GRAPH_INVALID',
          path,
          `${path}: node ${id} (${node.class_type}) input ${name} links to node ${value[0]}, which is not in the graph`,
          'fix the link or add the missing node',
        );
      }
    }
  }
  return graph as unknown as ApiGraph;
}
