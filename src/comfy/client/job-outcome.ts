import type { ComfyError } from '../errors/comfy-error.js';
import { ExecutionError } from '../errors/execution-error.js';
import { InterruptedError } from '../errors/interrupted-error.js';
import { executionErrorFrom } from '../errors/out-of-memory-error.js';
import type { HistoryEntry } from '../protocol/history.js';
import { executionErrorDataSchema, executionInterruptedDataSchema } from '../protocol/messages.js';
import { collectOutputFiles } from '../protocol/output-files.js';
import type { JobResult } from './job-types.js';

export type JobOutcome = { ok: true; result: JobResult } | { ok: false; error: ComfyError };

/**
 * Decides how a prompt ended from its history entry, the only authoritative record:
 * `status_str` says success or error, the last execution_error/interrupted message says why.
 */
export function outcomeFromHistory(promptId: string, entry: HistoryEntry, options: { cancelledByUs?: boolean } = {}): JobOutcome {
  const messages = entry.status?.messages ?? [];
  const timestamp = (name: string) => {
    const m = messages.find(([event]) => event === name);
    const t = m?.[1].timestamp;
    return typeof t === 'number' ? t : undefined;
  };
  const success = entry.status ? entry.status.status_str === 'success' : true;
  if (success) {
    const outputs = entry.outputs as Record<string, Record<string, unknown>>;
    const cached = messages.find(([event]) => event === 'execution_cached')?.[1].nodes;
    const result: JobResult = {
      promptId,
      outputs,
      files: collectOutputFiles(outputs),
      cachedNodes: Array.isArray(cached) ? cached.filter((n): n is string => typeof n === 'string') : [],
    };
    const startedAt = timestamp('execution_start');
    const finishedAt = timestamp('execution_success');
    if (startedAt !== undefined) result.startedAt = startedAt;
    if (finishedAt !== undefined) result.finishedAt = finishedAt;
    return { ok: true, result };
  }
  for (let i = messages.length - 1; i >= 0; i--) {
    const [event, data] = messages[i]!;
    if (event === 'execution_interrupted') {
      const d = executionInterruptedDataSchema.safeParse(data);
      return {
        ok: false,
        error: new InterruptedError(promptId, {
          nodeId: d.success ? d.data.node_id : undefined,
          nodeType: d.success ? d.data.node_type : undefined,
          cancelledByUs: options.cancelledByUs,
        }),
      };
    }
    if (event === 'execution_error') {
      const d = executionErrorDataSchema.safeParse(data);
      if (!d.success) break;
      // ExecutionBlocked errors do not end a job; a real failure is the last one recorded.
      return {
        ok: false,
        error: executionErrorFrom({
          promptId,
          nodeId: d.data.node_id,
          nodeType: d.data.node_type,
          exceptionType: d.data.exception_type,
          exceptionMessage: d.data.exception_message,
          traceback: d.data.traceback,
          executed: d.data.executed,
        }),
      };
    }
  }
  return {
    ok: false,
    error: new ExecutionError({
      promptId,
      nodeId: '?',
      nodeType: '?',
      exceptionType: 'unknown',
      exceptionMessage: `history says status "${entry.status?.status_str}" without an error message`,
      traceback: [],
      executed: [],
    }),
  };
}
