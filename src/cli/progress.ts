import cliProgress from 'cli-progress';
import type { CliContext } from './context.js';

/** What is running now: a node of the graph and, for samplers, its step. */
export interface ProgressUpdate {
  node?: string;
  classType?: string;
  value?: number;
  max?: number;
}

export interface ProgressDisplay {
  update(update: ProgressUpdate): void;
  /** A line that must not be garbled by the bar (the bar is redrawn below it). */
  note(line: string): void;
  stop(): void;
}

export interface ProgressOptions {
  title: string;
  /** Minimum time between plain lines for the same node (non-TTY mode). */
  intervalMs?: number;
  now?: () => number;
}

/**
 * A live bar on a terminal; plain periodic lines when stderr is not a TTY (CI logs, pipes);
 * nothing at all with --json or --quiet, so stdout stays machine-readable.
 */
export function createProgress(ctx: CliContext, options: ProgressOptions): ProgressDisplay {
  if (ctx.json || ctx.quiet) return { update() {}, note() {}, stop() {} };
  if (ctx.io.stderr.isTTY === true) return barProgress(ctx, options);
  return lineProgress(ctx, options);
}

function label(update: ProgressUpdate): string {
  if (update.node === undefined) return 'waiting';
  return `node ${update.node}${update.classType ? ` (${update.classType})` : ''}`;
}

function lineProgress(ctx: CliContext, options: ProgressOptions): ProgressDisplay {
  const interval = options.intervalMs ?? 2000;
  const now = options.now ?? Date.now;
  let lastNode: string | undefined;
  let lastAt = -Infinity;
  return {
    update(update) {
      const changed = update.node !== lastNode;
      const finished = update.max !== undefined && update.value === update.max;
      if (!changed && !finished && now() - lastAt < interval) return;
      lastNode = update.node;
      lastAt = now();
      const step = update.max !== undefined ? ` step ${update.value ?? 0}/${update.max}` : '';
      ctx.info(`${options.title}: ${label(update)}${step}`);
    },
    note(line) {
      ctx.info(line);
    },
    stop() {},
  };
}

function barProgress(ctx: CliContext, options: ProgressOptions): ProgressDisplay {
  const bar = new cliProgress.SingleBar(
    {
      format: `${options.title} [{bar}] {value}/{total} | {label}`,
      stream: ctx.io.stderr as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: true,
      noTTYOutput: false,
      barsize: 24,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(update) {
      const total = update.max ?? 1;
      const value = update.max !== undefined ? (update.value ?? 0) : 0;
      if (!started) {
        bar.start(total, value, { label: label(update) });
        started = true;
        return;
      }
      bar.setTotal(total);
      bar.update(value, { label: label(update) });
    },
    note(line) {
      if (started) bar.stop();
      ctx.info(line);
      started = false;
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
