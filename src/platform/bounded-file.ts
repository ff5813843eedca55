import { readFileSync, statSync } from 'node:fs';
import { checkBracketDepth, checkFileSize, DEFAULT_INPUT_LIMITS, type InputLimits } from './input-limits.js';

/**
 * Reads a text input (workflow, object_info, models list, story text) within the limits: the
 * size is checked before reading and the bracket depth before any parser sees it. Errors of
 * the file system itself (missing, unreadable) are thrown as they are, for the caller's message.
 */
export function readBoundedText(path: string, field: string, limits: InputLimits = DEFAULT_INPUT_LIMITS, options: { json?: boolean } = {}): string {
  checkFileSize(statSync(path).size, field, limits);
  const text = readFileSync(path, 'utf8');
  if (options.json !== false) checkBracketDepth(text, field, limits);
  return text;
}
