import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { StoryFormatError, type StoryIssue } from './errors/story-format-error.js';
import { storyIssuesFrom, type Locate } from './issues.js';
import type * as z from 'zod';
import { checkStoryReferences } from './cross-references.js';
import { storyShapeSchema, type Story } from './schema.js';
import { YamlPositions } from './yaml-positions.js';
import { InputLimitError } from '../../platform/errors/input-limit-error.js';
import { checkBracketDepth, checkFileSize, DEFAULT_INPUT_LIMITS, raiseHint, type InputLimits } from '../../platform/input-limits.js';
import { isStackOverflowMessage, yamlToJs } from '../../platform/yaml-limits.js';

export type StoryValidation = { ok: true; story: Story } | { ok: false; issues: StoryIssue[] };

/**
 * Validates story data that has no source file (an LLM reply, an API body): the same checks as
 * `loadStory`, with issues that name the field path but no line.
 */
export function validateStory(data: unknown, locate: Locate = () => undefined, file?: string): StoryValidation {
  // Shape and cross-references are checked separately so one run reports both kinds.
  const result = storyShapeSchema.safeParse(data);
  const references = checkStoryReferences(result.success ? result.data : data).map(
    (issue): z.core.$ZodIssue => ({ code: 'custom', path: issue.path, message: issue.message, params: { hint: issue.hint } }),
  );
  if (result.success && references.length === 0) return { ok: true, story: result.data };
  const zodIssues = [...(result.success ? [] : result.error.issues), ...references];
  const issues = storyIssuesFrom(zodIssues, data, storyShapeSchema, locate).map((issue) => (file ? { file, ...issue } : issue));
  return { ok: false, issues: sortByPosition(unique(issues)) };
}

/** zod can report one value twice (an int check and a bound on a 23-digit number): list it once. */
function unique(issues: StoryIssue[]): StoryIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = JSON.stringify([issue.file, issue.line, issue.column, issue.path, issue.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Parses story.yaml text. Throws `StoryFormatError` listing every problem with
 * `file:line:column field.path: problem — fix`; `file` is only used in those messages.
 */
export function parseStory(text: string, file = 'story.yaml', limits: InputLimits = DEFAULT_INPUT_LIMITS): Story {
  checkFileSize(Buffer.byteLength(text), file, limits);
  checkBracketDepth(text, file, limits);
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.some((error) => isStackOverflowMessage(error.message))) {
    throw new InputLimitError('INPUT_TOO_DEEP', file, `lists and mappings are nested more than ${limits.depth} levels deep`, raiseHint('depth', limits.depth));
  }
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((error): StoryIssue => {
      const { line, col } = counter.linePos(error.pos[0]);
      return {
        file,
        line,
        column: col,
        path: '',
        message: `YAML syntax error: ${error.message.split('\n')[0]}`,
        hint: syntaxHint(error.code),
      };
    });
    throw new StoryFormatError('STORY_SYNTAX', issues);
  }
  const data: unknown = yamlToJs(doc, file, limits);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new StoryFormatError('STORY_INVALID', [
      { file, line: 1, column: 1, path: '', message: 'a story must be a mapping (title:, scenes:, …)', hint: 'start from the sample that storycore init writes, or see docs/story-format.md' },
    ]);
  }
  const positions = new YamlPositions(doc.contents, counter);
  const result = validateStory(data, (path, part) => positions.locate(path, part), file);
  if (!result.ok) throw new StoryFormatError('STORY_INVALID', result.issues);
  return result.story;
}

/** Reads and validates a story.yaml file (see `parseStory` for the errors). */
export function loadStory(path: string, options: { cwd?: string; limits?: InputLimits } = {}): Story {
  const cwd = options.cwd ?? process.cwd();
  const limits = options.limits ?? DEFAULT_INPUT_LIMITS;
  const absolute = resolve(cwd, path);
  const file = displayPath(absolute, cwd);
  let text: string;
  try {
    // Size first: a 50 MB story must be refused before it is read, not after 3 GB of parsing.
    const stat = statSync(absolute);
    if (stat.isDirectory()) throw Object.assign(new Error('it is a directory, not a story file'), { code: 'EISDIR' });
    checkFileSize(stat.size, file, limits);
    text = readFileSync(absolute, 'utf8');
  } catch (cause) {
    if (cause instanceof InputLimitError) throw cause;
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new StoryFormatError(
      missing ? 'STORY_NOT_FOUND' : 'STORY_UNREADABLE',
      [
        {
          file,
          path: '',
          message: missing ? 'story file does not exist' : `cannot read the story file: ${(cause as Error).message}`,
          hint: missing ? 'check the path (see examples/stories/story.yaml for a sample)' : 'check its permissions',
        },
      ],
      { cause },
    );
  }
  return parseStory(text, file, limits);
}

function displayPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
}

function sortByPosition(issues: StoryIssue[]): StoryIssue[] {
  return [...issues].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
}

function syntaxHint(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'remove or rename the repeated key';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'indent with spaces, consistently, and check brackets and quotes';
    case 'MULTIPLE_DOCS':
      return 'keep one document per story file (remove the extra ---)';
    default:
      return "check indentation and quote values that contain ': ' or start with a special character";
  }
}
