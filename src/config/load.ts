import { ConfigError, type ConfigProblem } from './errors/config-error.js';
import { readEnvLayer, setAt } from './env.js';
import { findConfigFile, readConfigFile, type ConfigFile } from './file.js';
import type { ConfigFlag } from './flags.js';
import { problemsFromIssues } from './issues.js';
import { isPlainObject, LayeredValues } from './layers.js';
import { configSchema, ENVIRONMENTS, type Environment, type StoryCoreConfig } from './schema.js';
import { describeSource, pathKey, type KeyPath, type ValueSource } from './sources.js';

export interface LoadConfigOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** `--config FILE`; else `STORYCORE_CONFIG`; else storycore.config.{yaml,yml,json} in cwd. */
  configPath?: string;
  /** Command-line values, applied last. */
  flags?: ConfigFlag[];
}

export interface LoadedConfig {
  config: StoryCoreConfig;
  /** The config file used (as displayed), if any. */
  file: string | undefined;
  environment: Environment;
  /** Whether the file had a `profiles.<environment>` section that was applied. */
  profileApplied: boolean;
  sourceOf(path: KeyPath): ValueSource;
}

/**
 * Builds the configuration from its layers, later ones winning:
 * built-in defaults → config file → `profiles.<STORYCORE_ENV>` of that file → `STORYCORE_*`
 * environment variables → command-line flags. Throws a `ConfigError` naming the key, the bad
 * value (secrets redacted), where it came from and how to fix it.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const environment = readEnvironment(env);

  const explicit = options.configPath ?? env.STORYCORE_CONFIG;
  const path = explicit ?? findConfigFile(cwd);
  const file = path === undefined ? undefined : readConfigFile(path, cwd);
  const { base, profiles } = splitProfiles(file);

  const build = (profileName: Environment): { layered: LayeredValues; profileApplied: boolean } => {
    const layered = new LayeredValues();
    if (file) layered.apply(base, (p) => ({ kind: 'file', file: file.displayPath, line: file.lineOf(p) }));
    const profile = profiles[profileName];
    if (file && profile) {
      layered.apply(profile, (p) => ({
        kind: 'profile',
        profile: profileName,
        file: file.displayPath,
        line: file.lineOf(['profiles', profileName, ...p]),
      }));
    }
    const envLayer = readEnvLayer(env);
    layered.apply(envLayer.values, (p) => ({ kind: 'env', variable: envVariableFor(envLayer.variables, p) }));
    for (const flag of options.flags ?? []) {
      const values: Record<string, unknown> = {};
      setAt(values, flag.path, flag.value);
      layered.apply(values, () => ({ kind: 'flag', flag: flag.flag }));
    }
    return { layered, profileApplied: profile !== undefined };
  };

  const { layered, profileApplied } = build(environment);
  const result = configSchema.safeParse(layered.value, { reportInput: true });
  const problems: ConfigProblem[] = result.success ? [] : problemsFromIssues(result.error.issues, (p) => layered.sourceOf(p));

  // Other profiles are checked too, so a typo under `profiles.production` fails in development
  // rather than on the day of the release. Only problems that come from that profile count.
  for (const other of ENVIRONMENTS) {
    if (other === environment || !profiles[other]) continue;
    const built = build(other).layered;
    const check = configSchema.safeParse(built.value, { reportInput: true });
    if (check.success) continue;
    const fromProfile = problemsFromIssues(check.error.issues, (p) => built.sourceOf(p)).filter((problem) =>
      problem.where?.startsWith(`profile ${other} `),
    );
    problems.push(...fromProfile);
  }

  if (!result.success || problems.length > 0) throw new ConfigError('CONFIG_INVALID', problems);
  return {
    config: result.data,
    file: file?.displayPath,
    environment,
    profileApplied,
    sourceOf: (p) => layered.sourceOf(p),
  };
}

function readEnvironment(env: NodeJS.ProcessEnv): Environment {
  const value = env.STORYCORE_ENV;
  if (value === undefined || value === '') return 'development';
  if ((ENVIRONMENTS as readonly string[]).includes(value)) return value as Environment;
  throw new ConfigError('CONFIG_ENV_INVALID', [
    {
      path: '',
      where: 'env STORYCORE_ENV',
      message: `STORYCORE_ENV '${value}' is not one of ${ENVIRONMENTS.join(', ')}`,
      hint: `set STORYCORE_ENV to one of ${ENVIRONMENTS.join(', ')} or unset it (development)`,
    },
  ]);
}

function splitProfiles(file: ConfigFile | undefined): {
  base: Record<string, unknown>;
  profiles: Partial<Record<Environment, Record<string, unknown>>>;
} {
  if (!file) return { base: {}, profiles: {} };
  const { profiles: rawProfiles, ...base } = file.data;
  if (rawProfiles === undefined || rawProfiles === null) return { base, profiles: {} };
  const where = (p: KeyPath): string => describeSource({ kind: 'file', file: file.displayPath, line: file.lineOf(p) });
  if (!isPlainObject(rawProfiles)) {
    throw new ConfigError('CONFIG_INVALID', [
      {
        path: 'profiles',
        where: where(['profiles']),
        message: 'profiles must be a mapping of environment name to config sections',
        hint: `write e.g. "profiles: {production: {queue: {backend: bullmq}}}" in ${file.displayPath}`,
      },
    ]);
  }
  const problems: ConfigProblem[] = [];
  const profiles: Partial<Record<Environment, Record<string, unknown>>> = {};
  for (const [name, section] of Object.entries(rawProfiles)) {
    if (!(ENVIRONMENTS as readonly string[]).includes(name)) {
      problems.push({
        path: `profiles.${name}`,
        where: where(['profiles', name]),
        message: `profiles.${name} is not an environment (${ENVIRONMENTS.join(', ')})`,
        hint: `rename it to one of ${ENVIRONMENTS.join(', ')} in ${file.displayPath}`,
      });
    } else if (section !== null && !isPlainObject(section)) {
      problems.push({
        path: `profiles.${name}`,
        where: where(['profiles', name]),
        message: `profiles.${name} must be a mapping of config sections`,
        hint: `write config sections (queue:, server:…) under profiles.${name} in ${file.displayPath}`,
      });
    } else if (section) {
      profiles[name as Environment] = section;
    }
  }
  if (problems.length > 0) throw new ConfigError('CONFIG_INVALID', problems);
  return { base, profiles };
}

/** The env var that set a path, or the one that set its nearest ancestor (a JSON value). */
function envVariableFor(variables: Map<string, string>, path: KeyPath): string {
  for (let n = path.length; n > 0; n--) {
    const name = variables.get(pathKey(path.slice(0, n)));
    if (name) return name;
  }
  return 'STORYCORE_*';
}
