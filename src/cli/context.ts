import { loadConfig, parseSetFlag, type ConfigFlag, type LoadedConfig } from '../config/index.js';
import { resolveProjectPath } from '../platform/project-path.js';
import type { CliIo } from './io.js';

/** Options every command accepts (declared once on the root program). */
export interface GlobalOptions {
  config?: string;
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  color?: boolean;
  configCheck?: boolean;
  configSet?: string[];
  /** Not read: config keys come from --config-set; kept so code that clears it still compiles. */
  set?: string[];
}

/**
 * What a command gets to talk to the user: stdout for results, stderr for progress and
 * notes, JSON when asked, and the layered config with its command-line layer.
 */
export class CliContext {
  /** The worker URL the command is talking to, so a bare network error can name it. */
  target: string | undefined;
  /** The config this command loaded, so a storage error can name the setting that holds its path. */
  loaded: LoadedConfig | undefined;

  constructor(
    readonly io: CliIo,
    readonly options: GlobalOptions,
  ) {}

  get json(): boolean {
    return this.options.json === true;
  }

  get quiet(): boolean {
    return this.options.quiet === true;
  }

  get verbose(): boolean {
    return this.options.verbose === true;
  }

  get color(): boolean {
    return this.options.color !== false && !('NO_COLOR' in this.io.env) && this.io.stderr.isTTY === true;
  }

  /** A result line (stdout). Suppressed in JSON mode, where `printJson` carries the result. */
  out(line: string): void {
    if (!this.json) this.io.stdout.write(`${line}\n`);
  }

  /** A note or progress line (stderr); hidden by --quiet and --json. */
  info(line: string): void {
    if (!this.json && !this.quiet) this.io.stderr.write(`${line}\n`);
  }

  printJson(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Loads the layered config; `flags` are the command's own options that map to config keys. */
  loadConfig(flags: ConfigFlag[] = []): LoadedConfig {
    const setFlags = (this.options.configSet ?? []).map(parseSetFlag);
    this.loaded = loadConfig({ cwd: this.io.cwd, env: this.io.env, configPath: this.options.config, flags: [...setFlags, ...flags] });
    return this.loaded;
  }

  /**
   * A path from a command-line option, resolved against the working directory (the project
   * folder) and refused when it leaves it, also through a symlink, unless the config lists
   * its folder in `paths.allowedDirs`. `option` names the flag in the error.
   */
  path(raw: string, option: string, options: { mustExist?: boolean } = {}): string {
    return resolveProjectPath(raw, { projectDir: this.io.cwd, allowedDirs: this.allowedDirs() }, option, options);
  }

  private allowedDirs(): readonly string[] {
    try {
      return this.loadConfig().config.paths.allowedDirs;
    } catch {
      // A config that does not load narrows the scope to the project folder; the command reports it if it needs the config.
      return [];
    }
  }

  /** Resolves with the signal name on SIGINT/SIGTERM; `dispose` stops listening. */
  stopSignal(): { promise: Promise<NodeJS.Signals>; dispose: () => void } {
    let dispose = (): void => {};
    const promise = new Promise<NodeJS.Signals>((resolve) => {
      dispose = this.io.onStopSignal((signal) => resolve(signal));
    });
    return { promise, dispose };
  }
}

/** A config flag from a command option, skipped when the option was not given. */
export function flagIf(value: unknown, path: string, flag: string): ConfigFlag[] {
  return value === undefined ? [] : [{ path: path.split('.'), value, flag }];
}
