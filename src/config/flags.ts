import { expectsText } from '../platform/zod/schema-walk.js';
import { ConfigError } from './errors/config-error.js';
import { configSchema } from './schema.js';
import type { KeyPath } from './sources.js';

/** A value set on the command line: `--config-set queue.backend=bullmq` or a command's own flag. */
export interface ConfigFlag {
  path: KeyPath;
  value: unknown;
  /** As reported as the source, e.g. `--time-scale` or `--config-set queue.backend`. */
  flag: string;
}

/** Parses `key.path=value`; the value is JSON when it parses, except where the key is text. */
export function parseSetFlag(assignment: string): ConfigFlag {
  const eq = assignment.indexOf('=');
  if (eq <= 0) {
    throw new ConfigError('CONFIG_FLAG_INVALID', [
      {
        path: '',
        message: `--config-set ${assignment} is not of the form key.path=value`,
        hint: 'write e.g. --config-set queue.backend=bullmq or --config-set server.port=8080',
      },
    ]);
  }
  const key = assignment.slice(0, eq).trim();
  const raw = assignment.slice(eq + 1);
  const path = key.split('.');
  let value: unknown = raw;
  if (!expectsText(configSchema, path, { throughUnions: false })) {
    try {
      value = JSON.parse(raw) as unknown;
    } catch {
      value = raw;
    }
  }
  return { path, value, flag: `--config-set ${key}` };
}
