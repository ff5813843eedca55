import { pyRepr } from '../python-repr.js';

/**
 * One frame of a Python traceback as `traceback.format_tb` prints it (Python 3.11, with the
 * `~~~^^^` markers under the failing expression).
 */
export interface PyFrame {
  file: string;
  line: number;
  fn: string;
  code: string;
  /** Column (within `code`) where the markers start, and how many `~` then `^`. */
  mark?: { start: number; tilde?: number; caret: number };
}

/**
 * A Python exception raised by the emulated validation code. It never leaves this module:
 * ComfyUI catches it and reports `exception_during_validation`, or, when it escapes
 * `validate_prompt`, the request ends in a 500 (`ValidationCrashError`).
 */
export class PyException extends Error {
  readonly pyType: string;
  /** `str(exception)`. */
  readonly pyMessage: string;
  /** Frames from the function that raised, innermost last. */
  readonly frames: PyFrame[];

  constructor(pyType: string, pyMessage: string, frames: PyFrame[] = []) {
    super(`${pyType}: ${pyMessage}`);
    this.name = 'PyException';
    this.pyType = pyType;
    this.pyMessage = pyMessage;
    this.frames = frames;
  }

  /** Same exception seen from one frame further out (the caller's frame goes first). */
  through(frame: PyFrame): PyException {
    return new PyException(this.pyType, this.pyMessage, [frame, ...this.frames]);
  }
}

/** `KeyError(key)`: its str() is the key's repr. */
export function keyError(key: unknown, frames: PyFrame[] = []): PyException {
  return new PyException('KeyError', pyRepr(key), frames);
}

export function typeError(message: string, frames: PyFrame[] = []): PyException {
  return new PyException('TypeError', message, frames);
}

/** `traceback.format_tb(tb)`: one string per frame. */
export function formatTraceback(frames: PyFrame[]): string[] {
  return frames.map((f) => {
    let text = `  File "${f.file}", line ${f.line}, in ${f.fn}\n    ${f.code}\n`;
    if (f.mark) {
      text += `    ${' '.repeat(f.mark.start)}${'~'.repeat(f.mark.tilde ?? 0)}${'^'.repeat(f.mark.caret)}\n`;
    }
    return text;
  });
}

/** A frame whose markers underline `target` inside `code` (plain `^`, or `~` for `tildePart` then `^`). */
export function frameAt(file: string, line: number, fn: string, code: string, target?: string, tildePart?: string): PyFrame {
  if (target === undefined) return { file, line, fn, code };
  const start = code.indexOf(target);
  if (start < 0 || target.length === code.length) return { file, line, fn, code };
  const tilde = tildePart?.length ?? 0;
  return { file, line, fn, code, mark: { start, tilde, caret: target.length - tilde } };
}
