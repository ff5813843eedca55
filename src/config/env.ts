import { expectsText, keysAt } from '../platform/zod/schema-walk.js';
import { configSchema } from './schema.js';
import { pathKey, type KeyPath } from './sources.js';

export const ENV_PREFIX = 'STORYCORE_';
/** Variables with the prefix that are not config keys. */
export const RESERVED_ENV = ['STORYCORE_ENV', 'STORYCORE_CONFIG', 'STORYCORE_REQUIRE_SERVICES'] as const;

export interface EnvLayer {
  values: Record<string, unknown>;
  /** path key → variable name, for every leaf this layer sets. */
  variables: Map<string, string>;
}

/**
 * Maps `STORYCORE_<SECTION>__<KEY>[__<SUBKEY>]` to config keys: segments are split on `__`
 * and turned from UPPER_SNAKE to camelCase (`STORYCORE_QUEUE__SQLITE_PATH` → `queue.sqlitePath`).
 * Values are parsed as JSON when that works (numbers, booleans, lists such as
 * `STORYCORE_WORKERS='[{"url":"http://gpu1:8188"}]'`) except where the schema expects text,
 * so `STORYCORE_PLANNER__LLM__API_KEY=1234` stays a string. Variables whose first segment is not a
 * config section are ignored: other tools share the prefix.
 */
export function readEnvLayer(env: NodeJS.ProcessEnv): EnvLayer {
  const sections = new Set(keysAt(configSchema, [], { throughUnions: false }));
  const values: Record<string, unknown> = {};
  const variables = new Map<string, string>();
  for (const [name, raw] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined || (RESERVED_ENV as readonly string[]).includes(name)) continue;
    const path = envNameToPath(name);
    if (!path || !sections.has(path[0]!)) continue;
    setAt(values, path, parseEnvValue(path, raw));
    variables.set(pathKey(path), name);
  }
  return { values, variables };
}

export function envNameToPath(name: string): string[] | undefined {
  const segments = name.slice(ENV_PREFIX.length).split('__');
  if (segments.some((segment) => segment.length === 0)) return undefined;
  return segments.map(camelCase);
}

/** The variable that sets a key path: `['queue', 'sqlitePath']` → `STORYCORE_QUEUE__SQLITE_PATH`. */
export function pathToEnvName(path: KeyPath): string {
  return ENV_PREFIX + path.map((segment) => String(segment).replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('__');
}

function camelCase(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function parseEnvValue(path: KeyPath, raw: string): unknown {
  // Below a union (worker auth) values are parsed as JSON like any other.
  if (expectsText(configSchema, path, { throughUnions: false })) return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

export function setAt(target: Record<string, unknown>, path: KeyPath, value: unknown): void {
  let node = target;
  path.forEach((segment, index) => {
    const key = String(segment);
    if (index === path.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  });
}
