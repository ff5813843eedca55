/** Exit codes of `storycore`; scripts branch on these (documented in docs/cli.md). */
export const ExitCode = {
  ok: 0,
  /** An unexpected internal error (a bug): report it with --verbose output. */
  internal: 1,
  /** Bad usage or input: flags, config, graph file. Fix the command or the file. */
  usage: 2,
  /** A worker could not be reached or answered badly. */
  worker: 3,
  /** The worker ran the job and it failed (rejected prompt, node error, OOM, interrupt, timeout). */
  job: 4,
  /** A check ran and found problems (conformance). */
  checkFailed: 5,
  /** Stopped by SIGINT/SIGTERM. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
