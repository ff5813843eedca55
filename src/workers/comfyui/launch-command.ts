import path from 'node:path';
import { baseFlags, LAUNCH_PROFILES, type LaunchFlag, type LaunchProfileId } from './profiles.js';

export interface LaunchCommand {
  command: string;
  args: string[];
  /** Variables added to the inherited environment. */
  env: Record<string, string>;
  cwd: string;
  /** Profile flags this ComfyUI does not accept, left out. */
  dropped: LaunchFlag[];
}

export interface LaunchCommandInput {
  python: string;
  comfyDir: string;
  profile: LaunchProfileId;
  gpu: number;
  port: number;
  /** Flags `main.py --help` lists; undefined = unknown, pass everything. */
  supported?: ReadonlySet<string>;
}

/** The flags StoryCore cannot run without: never dropped, even when the help text misses them. */
const ESSENTIAL = new Set(['--listen', '--port']);

/**
 * `python main.py --listen 127.0.0.1 --port <base+gpu> --disable-auto-launch --cuda-device <gpu>`
 * plus the profile's flags, minus those this ComfyUI version no longer accepts (argparse
 * would abort on them: `--normalvram` is gone in newer ComfyUI).
 */
export function buildLaunchCommand(input: LaunchCommandInput): LaunchCommand {
  const profile = LAUNCH_PROFILES[input.profile];
  const wanted = [...baseFlags({ port: input.port, ...(profile.usesGpu ? { gpu: input.gpu } : {}) }), ...profile.flags];
  const kept: LaunchFlag[] = [];
  const dropped: LaunchFlag[] = [];
  for (const flag of wanted) {
    if (input.supported && !input.supported.has(flag.flag) && !ESSENTIAL.has(flag.flag)) dropped.push(flag);
    else kept.push(flag);
  }
  return {
    command: input.python,
    args: ['main.py', ...kept.flatMap((f) => [f.flag, ...(f.values ?? [])])],
    env: Object.fromEntries(profile.env.map((e) => [e.name, e.value])),
    cwd: path.resolve(input.comfyDir),
    dropped,
  };
}
