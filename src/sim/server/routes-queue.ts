import type { Engine } from '../engine/engine.js';
import { isPlainObject, truthy } from '../engine/prompt-submission.js';
import { queueTuple } from '../engine/prompt-queue.js';
import { HandlerCrash, readJson, sendBare, sendJson, type RouteTable } from './http-kit.js';

/** Python `int(text)` for a query parameter; anything else crashes the handler (500). */
function pyInt(text: string): number {
  if (!/^\s*[+-]?\d+(_\d+)*\s*$/.test(text)) throw new HandlerCrash(`invalid literal for int(): ${text}`);
  return Number(text.replace(/_/g, ''));
}

/** Python iterates whatever it is given: a string deletes each of its characters. */
function iterate(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return [...value];
  if (isPlainObject(value)) return Object.keys(value);
  throw new HandlerCrash('object is not iterable');
}

function jsonObject(value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) throw new HandlerCrash('body is not a JSON object');
  return value;
}

/** /prompt, /queue, /interrupt, /free, /history: the queue and history routes of server.py. */
export function addQueueRoutes(routes: RouteTable, engine: Engine): void {
  routes.add('GET', '/prompt', (_req, res) => sendJson(res, engine.queueInfo()));

  routes.add('POST', '/prompt', async (req, res) => {
    // Literals kept: a seed beyond 2^53 comes back in /queue and /history exactly as sent.
    const { status, body } = engine.submit(await readJson(req, { keepLiterals: true }));
    sendJson(res, body, status);
  });

  routes.add('GET', '/queue', (_req, res) => {
    sendJson(res, {
      queue_running: engine.queue.runningItems().map(queueTuple),
      queue_pending: engine.queue.pendingItems().map(queueTuple),
    });
  });

  routes.add('POST', '/queue', async (req, res) => {
    const json = jsonObject(await readJson(req));
    if ('clear' in json && truthy(json.clear)) engine.queue.wipe();
    if ('delete' in json) for (const id of iterate(json.delete)) engine.queue.delete(String(id));
    sendBare(res, 200);
  });

  routes.add('POST', '/interrupt', async (req, res) => {
    let json: unknown;
    try {
      json = await readJson(req);
    } catch {
      json = {};
    }
    const body = jsonObject(json);
    const promptId = body.prompt_id;
    if (truthy(promptId)) engine.interruptPrompt(String(promptId));
    else engine.interruptPrompt();
    sendBare(res, 200);
  });

  routes.add('POST', '/free', async (req, res) => {
    const json = jsonObject(await readJson(req));
    if (truthy(json.unload_models ?? false)) engine.queue.setFlag('unload_models', json.unload_models);
    if (truthy(json.free_memory ?? false)) engine.queue.setFlag('free_memory', json.free_memory);
    sendBare(res, 200);
  });

  routes.add('GET', '/history', (req, res) => {
    const maxItems = req.query.get('max_items');
    const offset = req.query.get('offset');
    sendJson(res, engine.queue.history.page(maxItems === null ? null : pyInt(maxItems), offset === null ? -1 : pyInt(offset)));
  });

  routes.add('GET', '/history/{prompt_id}', (req, res) => sendJson(res, engine.queue.history.get(req.params.prompt_id ?? '')));

  routes.add('POST', '/history', async (req, res) => {
    const json = jsonObject(await readJson(req));
    if ('clear' in json && truthy(json.clear)) engine.queue.history.clear();
    if ('delete' in json) for (const id of iterate(json.delete)) engine.queue.history.delete(String(id));
    sendBare(res, 200);
  });
}
