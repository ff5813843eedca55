import type { WorkerEndpoint } from '../comfy/client/endpoint.js';
import type { StoryCoreConfig, WorkerConfig } from '../config/index.js';
import { parseWorkerUrl } from './worker-url.js';

function endpointOf(worker: WorkerConfig): WorkerEndpoint {
  return {
    url: worker.url.replace(/\/+$/, ''),
    name: worker.name,
    ...(worker.auth ? { auth: worker.auth } : {}),
    ...(Object.keys(worker.headers).length > 0 ? { headers: worker.headers } : {}),
  };
}

/**
 * `--worker` takes a URL or the name of a configured worker. A URL that matches a configured
 * worker picks up its auth and headers, so secrets stay in the config, not on the command line.
 */
export function resolveWorker(value: string, config: StoryCoreConfig): WorkerEndpoint {
  const byName = config.workers.find((w) => w.name === value);
  if (byName) return endpointOf(byName);
  const url = parseWorkerUrl(value);
  const byUrl = config.workers.find((w) => w.url.replace(/\/+$/, '') === url);
  return byUrl ? endpointOf(byUrl) : { url };
}

export function configuredWorker(config: StoryCoreConfig): WorkerEndpoint | undefined {
  const first = config.workers[0];
  return first ? endpointOf(first) : undefined;
}
