import type { ComfyClientOptions, SlowRequest } from '../comfy/client/index.js';
import { clientSettings, type StoryCoreConfig } from '../config/index.js';
import type { CliContext } from './context.js';

/** "waiting for http://gpu:8188 to answer GET /system_stats (gives up after 30 s, client.requestTimeoutMs)". */
export function waitingLine(request: SlowRequest): string {
  return `waiting for ${request.url} to answer ${request.method} ${request.path} (gives up after ${request.timeoutMs / 1000} s, ${request.timeoutKey})`;
}

/**
 * ComfyClient options from the `client` config section, with a stderr notice for any call
 * still unanswered after 2 s. `check` is for quick looks (workers check, models, preflight):
 * every call bounded by `client.checkTimeoutMs`, no socket, no retries.
 */
export function clientOptions(ctx: CliContext, config: StoryCoreConfig, options: { check?: boolean } = {}): ComfyClientOptions {
  const c = config.client;
  const onSlowRequest = (request: SlowRequest): void => ctx.info(waitingLine(request));
  if (options.check) {
    const key = 'client.checkTimeoutMs';
    return {
      socket: false,
      getRetries: 0,
      requestTimeoutMs: c.checkTimeoutMs,
      objectInfoTimeoutMs: c.checkTimeoutMs,
      timeoutKeys: { request: key, objectInfo: key },
      onSlowRequest,
    };
  }
  return { ...clientSettings(config), onSlowRequest };
}
