import { ComfyErrorCode, hasCode } from './comfy-error.js';
import { ExecutionError, type ExecutionFailure } from './execution-error.js';

/** The tip ComfyUI appends to any OOM exception message (execution.py). */
const OOM_TIP = 'This error means you ran out of memory on your GPU';

/**
 * The GPU ran out of memory. Retryable: ComfyUI unloads all models after an OOM, and the same
 * graph may fit on a worker with more VRAM or at a smaller batch/resolution.
 */
export class OutOfMemoryError extends ExecutionError {
  constructor(failure: ExecutionFailure) {
    super(failure, {
      code: ComfyErrorCode.outOfMemory,
      hint: 'route the job to a worker with more VRAM, or lower resolution/batch size/frame count',
      retryable: true,
    });
  }
}

/** Detects OOM as 0.3.64 and newer report it: torch.OutOfMemoryError or the OOM tip text. */
export function isOutOfMemoryFailure(failure: Pick<ExecutionFailure, 'exceptionType' | 'exceptionMessage'>): boolean {
  return failure.exceptionType.includes('OutOfMemoryError') || failure.exceptionMessage.includes(OOM_TIP);
}

/** The right class for a node failure: OutOfMemoryError for OOMs, ExecutionError otherwise. */
export function executionErrorFrom(failure: ExecutionFailure): ExecutionError {
  return isOutOfMemoryFailure(failure) ? new OutOfMemoryError(failure) : new ExecutionError(failure);
}

export function isOutOfMemoryError(value: unknown): value is OutOfMemoryError {
  return hasCode(value, ComfyErrorCode.outOfMemory);
}
