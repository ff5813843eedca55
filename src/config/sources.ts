/** Where one configuration value came from, reported by `storycore config check`. */
export type ValueSource =
  | { kind: 'default' }
  | { kind: 'file'; file: string; line?: number }
  | { kind: 'profile'; profile: string; file: string; line?: number }
  | { kind: 'env'; variable: string }
  | { kind: 'flag'; flag: string };

export type KeyPath = ReadonlyArray<string | number>;

export function pathKey(path: KeyPath): string {
  return path.map(String).join('.');
}

/** `storycore.config.yaml:12`, `profile production (storycore.config.yaml:30)`, `env STORYCORE_X`… */
export function describeSource(source: ValueSource): string {
  switch (source.kind) {
    case 'default':
      return 'default';
    case 'file':
      return source.line ? `${source.file}:${source.line}` : source.file;
    case 'profile':
      return `profile ${source.profile} (${source.line ? `${source.file}:${source.line}` : source.file})`;
    case 'env':
      return `env ${source.variable}`;
    case 'flag':
      return `flag ${source.flag}`;
  }
}

/** Where to change a value, phrased for the hint of an error ("in storycore.config.yaml"). */
export function describeFixLocation(source: ValueSource): string {
  switch (source.kind) {
    case 'default':
      return 'in your config file';
    case 'file':
      return `in ${source.file}`;
    case 'profile':
      return `under profiles.${source.profile} in ${source.file}`;
    case 'env':
      return `in the environment variable ${source.variable}`;
    case 'flag':
      return `in the flag ${source.flag}`;
  }
}
