import { isStoryCoreError, StoryCoreError } from '../errors/storycore-error.js';
import { redactUrl } from '../config/secrets.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import { describeNetworkError } from './network-error.js';
import { storageError } from '../platform/storage-errors.js';
import { storageHint, type PathSetting } from './storage-hint.js';

export interface RenderedError {
  code: string;
  message: string;
  hint: string | undefined;
  exitCode: ExitCodeValue;
  /** False for anything we did not raise on purpose: the user may want the stack. */
  expected: boolean;
}

const USAGE_PREFIXES = ['CONFIG_', 'INPUT_', 'PATH_', 'IMAGE_', 'GRAPH_', 'CLI_', 'WORKER_URL_', 'OBJECT_INFO_', 'SIM_OPTIONS_', 'TEMPLATE_', 'WORKFLOW_', 'USER_TEMPLATE_', 'MODEL_', 'STORY_', 'WORKER_DUPLICATE', 'WORKER_UNKNOWN', 'WORKER_IN_CONFIG', 'WORKER_LIST_INVALID', 'COMFYUI_NOT_CONFIGURED', 'COMFYUI_PROFILE_UNKNOWN', 'LICENCE_'];
const WORKER_CODES = new Set(['WORKER_NONE_REACHABLE', 'COMFY_WORKER_UNAVAILABLE', 'COMFY_HTTP_STATUS', 'COMFY_PROTOCOL', 'COMFYUI_START_FAILED']);
const JOB_CODES = new Set([
  'COMFY_PROMPT_INVALID',
  'COMFY_EXECUTION_FAILED',
  'COMFY_OUT_OF_MEMORY',
  'COMFY_INTERRUPTED',
  'COMFY_PROMPT_VANISHED',
  'COMFY_TIMEOUT',
  'RUN_TIMEOUT',
  'GENERATE_FAILED',
]);

export function exitCodeFor(code: string): ExitCodeValue {
  if (USAGE_PREFIXES.some((prefix) => code.startsWith(prefix))) return ExitCode.usage;
  if (WORKER_CODES.has(code) || code.startsWith('NETWORK_')) return ExitCode.worker;
  if (JOB_CODES.has(code)) return ExitCode.job;
  if (code === 'CONFORMANCE_FAILED') return ExitCode.checkFailed;
  if (code === 'INTERRUPTED_BY_SIGNAL') return ExitCode.interrupted;
  return ExitCode.internal;
}

/**
 * Turns anything thrown by a command into one line for the terminal (or one JSON object).
 * `target` is the URL the command was talking to, so a bare ECONNREFUSED can name it.
 */
export function describeError(thrown: unknown, target?: string, settings: readonly PathSetting[] = []): RenderedError {
  // A bare filesystem error that names its path (open, mkdir, rename…) is a storage problem.
  const error = isSystemError(thrown) ? withPath(thrown) : thrown;
  const unnamed = unnamedStorageFailure(error, settings);
  if (unnamed) return unnamed;
  const network = describeNetworkError(error, target);
  const storage = storageHint(error, settings);
  // Our own errors come first, unless they merely wrap a network failure we can explain better.
  if (isStoryCoreError(error) && !(network && !error.hint)) {
    const message = oneLine(error.message);
    const hint = error.hint ? oneLine(error.hint) : undefined;
    return {
      code: error.code,
      message,
      // A message that already ends with its fix would print it twice.
      hint: storage ?? (hint && !message.endsWith(hint) ? hint : undefined),
      exitCode: exitCodeFor(error.code),
      expected: true,
    };
  }
  if (network) return { ...network, message: oneLine(network.message), exitCode: ExitCode.worker, expected: true };
  if (isZodError(error)) {
    const issue = error.issues[0];
    const path = issue?.path.length ? issue.path.join('.') : '(top level)';
    return {
      code: 'INVALID_DATA',
      message: `unexpected data at ${path}: ${oneLine(issue?.message ?? 'invalid')}${error.issues.length > 1 ? ` (+${error.issues.length - 1} more)` : ''}`,
      hint: 'the input or a server reply does not have the expected shape; run with --verbose for the stack trace',
      exitCode: ExitCode.internal,
      expected: false,
    };
  }
  const message = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  return {
    code: 'INTERNAL',
    message: `unexpected error: ${oneLine(message)}`,
    hint: 'run with --verbose for the stack trace',
    exitCode: ExitCode.internal,
    expected: false,
  };
}

/** An error from Node or SQLite (errno-style code), not one of ours: isStoryCoreError accepts any coded Error. */
function isSystemError(error: unknown): boolean {
  if (error instanceof StoryCoreError || !(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (/^E[A-Z0-9]+$/.test(code) || code.startsWith('SQLITE_'));
}

function withPath(error: unknown): unknown {
  const path = (error as { path?: unknown } | null)?.path;
  return typeof path === 'string' ? storageError(error, path) : error;
}

/** ENOSPC from a file handle's write carries no path: say so, and where StoryCore writes. */
function unnamedStorageFailure(error: unknown, settings: readonly PathSetting[]): RenderedError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (!isSystemError(error) || (code !== 'ENOSPC' && code !== 'EDQUOT' && code !== 'SQLITE_FULL')) return undefined;
  const data = settings.find((s) => s.key === 'paths.dataDir');
  return {
    code: 'STORAGE_DISK_FULL',
    message: 'no space left on the disk (a write failed with ENOSPC)',
    hint: data ? `free space on the disk holding paths.dataDir (now ${data.path}), or set paths.dataDir to a disk with room` : 'free space on the disk StoryCore writes to',
    exitCode: ExitCode.internal,
    expected: true,
  };
}

export function formatErrorLine(rendered: RenderedError): string {
  return `error: ${rendered.message}${rendered.hint ? ` — ${rendered.hint}` : ''}`;
}

export function formatErrorJson(rendered: RenderedError): string {
  return JSON.stringify({ error: { code: rendered.code, message: rendered.message, ...(rendered.hint ? { hint: rendered.hint } : {}) } });
}

/** The stack of an error and of each cause, for --verbose. */
export function formatStack(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 6; depth++) {
    parts.push(depth === 0 ? stackOf(current) : `caused by: ${stackOf(current)}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n');
}

function stackOf(value: unknown): string {
  return value instanceof Error ? (value.stack ?? `${value.name}: ${value.message}`) : String(value);
}

function oneLine(text: string): string {
  return redactUrl(text.replace(/\s*\n\s*/g, ' | ').trim());
}

interface ZodErrorLike {
  name: string;
  issues: Array<{ path: PropertyKey[]; message: string }>;
}

function isZodError(value: unknown): value is ZodErrorLike {
  return value instanceof Error && (value.name === 'ZodError' || value.name === '$ZodError') && Array.isArray((value as unknown as ZodErrorLike).issues);
}
