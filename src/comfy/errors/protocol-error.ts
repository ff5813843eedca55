import { ComfyError, ComfyErrorCode, hasCode } from './comfy-error.js';

/**
 * A reply did not have the shape ComfyUI's protocol promises: `field` is the dotted path of
 * the first bad field (`executing.data.node`), `where` the message type or route.
 */
export class ProtocolError extends ComfyError {
  readonly where: string;
  readonly field: string | undefined;

  constructor(where: string, problem: string, options: { field?: string; cause?: unknown; url?: string } = {}) {
    const at = options.field ? `${options.field}: ` : '';
    super(ComfyErrorCode.protocol, `unexpected ${where} from ComfyUI${options.url ? ` at ${options.url}` : ''}: ${at}${problem}`, {
      hint: 'the worker speaks a protocol this client does not know; check its ComfyUI version (GET /system_stats) and custom nodes',
      cause: options.cause,
    });
    this.where = where;
    this.field = options.field;
  }
}

export function isProtocolError(value: unknown): value is ProtocolError {
  return hasCode(value, ComfyErrorCode.protocol);
}
