import { isCanonicalUuid } from '../../comfy/comfyui-version.js';
import type { Engine } from '../engine/engine.js';
import { historyJob, JOB_STATUSES, queuedJob, sortJobs, type JobStatus, type JobView } from '../engine/jobs-view.js';
import { isPlainObject } from '../engine/prompt-submission.js';
import { sendJson, type RouteTable, type SimRequest } from './http-kit.js';

/** Python `int(text)`: digits with an optional sign and surrounding spaces. */
function pyIntOrNull(text: string): number | null {
  return /^\s*[+-]?\d+\s*$/.test(text) ? Number(text) : null;
}

type ListQuery = { status: JobStatus[] | null; workflowId: string | null; sortBy: 'created_at' | 'execution_duration'; order: 'asc' | 'desc'; limit: number | null; offset: number };

/** The query of `GET /api/jobs`, or the 400 message server.py answers with. */
function listQuery(req: SimRequest): ListQuery | string {
  const q = req.query;
  let status: JobStatus[] | null = null;
  const statusParam = q.get('status');
  if (statusParam) {
    const wanted = statusParam.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    const invalid = wanted.filter((s) => !(JOB_STATUSES as readonly string[]).includes(s));
    if (invalid.length > 0) return `Invalid status value(s): ${invalid.join(', ')}. Valid values: ${JOB_STATUSES.join(', ')}`;
    status = wanted as JobStatus[];
  }
  const sortBy = (q.get('sort_by') ?? 'created_at').toLowerCase();
  if (sortBy !== 'created_at' && sortBy !== 'execution_duration') return "sort_by must be 'created_at' or 'execution_duration'";
  const order = (q.get('sort_order') ?? 'desc').toLowerCase();
  if (order !== 'asc' && order !== 'desc') return "sort_order must be 'asc' or 'desc'";
  let limit: number | null = null;
  if (q.has('limit')) {
    limit = pyIntOrNull(q.get('limit') ?? '');
    if (limit === null) return 'limit must be an integer';
    if (limit <= 0) return 'limit must be a positive integer';
  }
  let offset = 0;
  if (q.has('offset')) {
    const parsed = pyIntOrNull(q.get('offset') ?? '');
    if (parsed === null) return 'offset must be an integer';
    offset = Math.max(0, parsed);
  }
  return { status, workflowId: q.get('workflow_id'), sortBy, order, limit, offset };
}

function allJobs(engine: Engine, query: ListQuery): { jobs: JobView[]; total: number } {
  const wanted = new Set<JobStatus>(query.status ?? JOB_STATUSES);
  let jobs: JobView[] = [];
  if (wanted.has('in_progress')) jobs.push(...engine.queue.runningItems().map((item) => queuedJob(item, 'in_progress')));
  if (wanted.has('pending')) jobs.push(...engine.queue.pendingItems().map((item) => queuedJob(item, 'pending')));
  if (wanted.has('completed') || wanted.has('failed') || wanted.has('cancelled')) {
    for (const [id, entry] of engine.queue.history.all()) {
      const job = historyJob(id, entry);
      if (wanted.has(job.status)) jobs.push(job);
    }
  }
  if (query.workflowId) jobs = jobs.filter((job) => job.workflow_id === query.workflowId);
  jobs = sortJobs(jobs, query.sortBy, query.order);
  const total = jobs.length;
  jobs = jobs.slice(query.offset);
  if (query.limit !== null) jobs = jobs.slice(0, query.limit);
  return { jobs, total };
}

/** `get_job`: history first, then running, then pending (with the workflow). */
export function findJob(engine: Engine, id: string): JobView | undefined {
  const entry = engine.queue.history.get(id)[id];
  if (entry) return historyJob(id, entry, true);
  const running = engine.queue.runningItems().find((item) => item.promptId === id);
  if (running) return queuedJob(running, 'in_progress', true);
  const pending = engine.queue.pendingItems().find((item) => item.promptId === id);
  return pending ? queuedJob(pending, 'pending', true) : undefined;
}

/** `cancel_job`: interrupt a running job, dequeue a pending one; finished or unknown ids are no-ops. */
function cancelJob(engine: Engine, id: string): boolean {
  if (engine.queue.runningItems().some((item) => item.promptId === id)) return engine.interruptPrompt(id);
  if (engine.queue.pendingItems().some((item) => item.promptId === id)) return engine.queue.delete(id) || engine.interruptPrompt(id);
  return false;
}

/**
 * The Jobs API of current ComfyUI (server.py `/api/jobs…`); registered only when the emulator
 * serves the current protocol. Declared under `/api`, so (as in ComfyUI) they also answer at
 * `/api/api/jobs` and never at `/jobs`.
 */
export function addJobRoutes(routes: RouteTable, engine: Engine): void {
  routes.add('GET', '/api/jobs', (req, res) => {
    const query = listQuery(req);
    if (typeof query === 'string') return sendJson(res, { error: query }, 400);
    const { jobs, total } = allJobs(engine, query);
    sendJson(res, { jobs, pagination: { offset: query.offset, limit: query.limit, total, has_more: query.offset + jobs.length < total } });
  });

  routes.add('GET', '/api/jobs/{job_id}', (req, res) => {
    const job = findJob(engine, req.params.job_id ?? '');
    if (!job) return sendJson(res, { error: 'Job not found' }, 404);
    sendJson(res, job);
  });

  routes.add('POST', '/api/jobs/{job_id}/cancel', (req, res) => {
    sendJson(res, { cancelled: cancelJob(engine, req.params.job_id ?? '') });
  });

  routes.add('POST', '/api/jobs/cancel', async (req, res) => {
    let json: unknown;
    try {
      json = JSON.parse((await req.body()).toString('utf8')) as unknown;
    } catch {
      return sendJson(res, { error: 'Request body must be valid JSON' }, 400);
    }
    const ids = isPlainObject(json) ? json.job_ids : undefined;
    if (!Array.isArray(ids)) return sendJson(res, { error: 'job_ids must be a list' }, 400);
    const invalid = ids.filter((id) => !isCanonicalUuid(id)).map((id) => (typeof id === 'string' ? id : JSON.stringify(id)));
    if (invalid.length > 0) return sendJson(res, { error: 'job_ids contains invalid id(s)', invalid_ids: invalid }, 400);
    let cancelled = false;
    for (const id of ids as string[]) if (cancelJob(engine, id)) cancelled = true;
    sendJson(res, { cancelled });
  });
}
