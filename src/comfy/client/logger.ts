/** The subset of pino's API the client uses; pass a pino logger or anything shaped like it. */
export interface ComfyLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = () => {};

/** The default: the client never prints on its own. */
export const silentLogger: ComfyLogger = { debug: noop, info: noop, warn: noop, error: noop };
