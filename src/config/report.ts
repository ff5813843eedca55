import { leaves } from './layers.js';
import type { LoadedConfig } from './load.js';
import { redactValue } from './secrets.js';
import { describeSource, pathKey, type ValueSource } from './sources.js';

export interface ConfigEntry {
  key: string;
  /** Redacted: secrets are `***`. */
  value: unknown;
  source: ValueSource;
  /** `default`, `storycore.config.yaml:12`, `env STORYCORE_SERVER__PORT`, `flag --config-set …` */
  from: string;
}

/** Every leaf of the merged config with where it came from, secrets redacted. */
export function describeConfig(loaded: LoadedConfig): ConfigEntry[] {
  return leaves(loaded.config).map(([path, value]) => {
    const source = loaded.sourceOf(path);
    return { key: pathKey(path), value: redactValue(path, value), source, from: describeSource(source) };
  });
}

/** The merged config as an object, secrets redacted (for JSON output). */
export function redactedConfig(loaded: LoadedConfig): unknown {
  return redactValue([], loaded.config);
}
