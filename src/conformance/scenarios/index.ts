import type { ScenarioScript } from '../scenario.js';
import { introspection } from './01-introspection.js';
import { upload } from './02-upload.js';
import { imageGraphScenario } from './03-image-graph.js';
import { cache } from './04-cache.js';
import { invalidPrompts } from './05-invalid-prompts.js';
import { runtimeError } from './06-runtime-error.js';
import { interruptAndQueue } from './07-interrupt-and-queue.js';
import { twoClients } from './08-two-clients.js';
import { free } from './09-free.js';
import { video } from './10-video.js';
import { websocketImages } from './11-websocket-images.js';
import { reconnectAndDuplicateIds } from './12-reconnect-and-duplicate-ids.js';
import { historyOps } from './13-history-ops.js';

/** Every recorded scenario, in the order they ran against one fresh server. */
export const scenarios: readonly ScenarioScript[] = [
  introspection,
  upload,
  imageGraphScenario,
  cache,
  invalidPrompts,
  runtimeError,
  interruptAndQueue,
  twoClients,
  free,
  video,
  websocketImages,
  reconnectAndDuplicateIds,
  historyOps,
];
