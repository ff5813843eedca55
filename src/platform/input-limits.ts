import { InputLimitError } from './errors/input-limit-error.js';

/**
 * How large and how deep an input StoryCore reads. Defaults fit any real story, config or
 * workflow by a wide margin; `limits.*` in the config raises them.
 */
export interface InputLimits {
  /** Story, workflow, object_info and models files, in MB. */
  fileMb: number;
  /** Nesting of lists and mappings in any of those files. */
  depth: number;
  /** YAML aliases (`*name`) one file may expand. */
  aliases: number;
  /** One image input, in MB. */
  imageMb: number;
  /** Width × height of one image input, in megapixels. */
  imageMegapixels: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = { fileMb: 20, depth: 64, aliases: 100, imageMb: 50, imageMegapixels: 100 };

const KEYS: Record<keyof InputLimits, string> = {
  fileMb: 'limits.fileMb',
  depth: 'limits.depth',
  aliases: 'limits.aliases',
  imageMb: 'limits.imageMb',
  imageMegapixels: 'limits.imageMegapixels',
};

/** The hint of every limit error: the config key and its environment variable. */
export function raiseHint(key: keyof InputLimits, value: number): string {
  const name = KEYS[key];
  const env = `STORYCORE_${name.replace('.', '__').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
  return `if the input is genuine, raise ${name} (now ${value}) in the config or with ${env}`;
}

/** Refuses a file of more than `limits.fileMb` before it is read. */
export function checkFileSize(bytes: number, field: string, limits: InputLimits = DEFAULT_INPUT_LIMITS): void {
  if (bytes > limits.fileMb * 1024 * 1024) {
    throw new InputLimitError('INPUT_TOO_LARGE', field, `the file is ${mb(bytes)} MB, more than the ${limits.fileMb} MB limit`, raiseHint('fileMb', limits.fileMb));
  }
}

/**
 * Refuses data nested deeper than `limits.depth` lists and mappings. Iterative, so the check
 * itself cannot overflow the stack on the input it is there to refuse.
 */
export function checkDepth(value: unknown, field: string, limits: InputLimits = DEFAULT_INPUT_LIMITS): void {
  const stack: Array<[unknown, number]> = [[value, 0]];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    if (depth >= limits.depth) {
      throw new InputLimitError('INPUT_TOO_DEEP', field, `lists and mappings are nested more than ${limits.depth} levels deep`, raiseHint('depth', limits.depth));
    }
    seen.add(current);
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
}

/**
 * Cheap pre-parse depth bound for JSON and flow-style YAML text: the deepest run of open
 * brackets, skipping strings. Parsers recurse per level, so this runs before them.
 */
export function checkBracketDepth(text: string, field: string, limits: InputLimits = DEFAULT_INPUT_LIMITS): void {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"') quote = c;
    else if (c === '[' || c === '{') {
      if (++depth > limits.depth) {
        throw new InputLimitError('INPUT_TOO_DEEP', field, `lists and mappings are nested more than ${limits.depth} levels deep`, raiseHint('depth', limits.depth));
      }
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
