import type { StoryCoreConfig } from '../config/index.js';
import type { KeyStore } from './auth/key-store.js';
import type { EventLog } from './events/event-log.js';
import type { ProjectDirs } from './projects/project-dirs.js';
import type { RunRegistry } from './runs/run-registry.js';
import type { WebhookStore } from './webhooks/webhook-store.js';

/** What every route file gets: the engine's parts, opened once by the server. */
export interface ServerContext {
  config: StoryCoreConfig;
  projects: ProjectDirs;
  events: EventLog;
  runs: RunRegistry;
  keys: KeyStore;
  webhooks: WebhookStore;
  /** Where relative config paths (paths.dataDir: the local worker list) resolve. */
  cwd: string;
  /** The workers runs dispatch to now: configured (or the emulators of --sim) plus those added. */
  workers(): Promise<{ name: string; url: string }[]>;
  /** True when the server runs with --insecure-no-auth: every request is admin. */
  noAuth: boolean;
  /** Emulated workers started by `serve --sim N` (tests read their counters). */
  simulated: boolean;
}
