import type { ComfyClientOptions } from '../comfy/client/index.js';
import type { StoryCoreConfig } from './schema.js';

/** ComfyClient timeouts from the `client` config section (docs/configuration.md, "Timeouts"). */
export function clientSettings(config: Pick<StoryCoreConfig, 'client'>): ComfyClientOptions {
  const c = config.client;
  return {
    requestTimeoutMs: c.requestTimeoutMs,
    objectInfoTimeoutMs: c.objectInfoTimeoutMs,
    uploadTimeoutMs: c.uploadTimeoutMs,
    socketOpenTimeoutMs: c.socketOpenTimeoutMs,
    unreachableTimeoutMs: c.unreachableTimeoutMs,
    downloadIdleTimeoutMs: c.downloadIdleTimeoutMs,
  };
}
