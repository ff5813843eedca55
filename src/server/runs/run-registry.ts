import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { StoryCoreConfig } from '../../config/index.js';
import type { GenerateReport } from '../../engine/generate.js';
import type { StoryPlan } from '../../engine/story-plan.js';
import { isStoryCoreError } from '../../errors/storycore-error.js';
import { ApiError } from '../errors/api-error.js';
import { forwardProgress } from './live-progress.js';
import type { EventLog } from '../events/event-log.js';
import type { ProjectDirs } from '../projects/project-dirs.js';

export type RunKind = 'generate' | 'render';
export type RunState = 'running' | 'completed' | 'failed' | 'cancelled';

export interface RunRequest {
  shots?: string[];
  force?: string[];
  /** Render: cut again even when nothing changed. */
  forceRender?: boolean;
}

export interface RunRecord {
  id: string;
  project: string;
  kind: RunKind;
  state: RunState;
  request: RunRequest;
  createdAt: string;
  finishedAt: string | null;
  summary: unknown;
  error: { code: string; message: string; fix?: string } | null;
}

interface RunRow {
  id: string; project: string; kind: RunKind; state: RunState; request: string;
  created_at: string; finished_at: string | null; summary: string | null; error: string | null;
}

/**
 * Runs started through the API. Each is persisted before it starts; the work itself is the
 * engine's (`generateStory`, `renderStory`), exactly as the CLI runs it, on the project's
 * durable queue (job id = task hash), so a run the CLI started on the same project never runs
 * a task twice. A server killed mid-run finds its running runs at start and resumes them: the
 * queue re-attaches prompts in flight and the store skips what is done.
 */
export class RunRegistry {
  private readonly db: Database.Database;
  private readonly active = new Map<string, { record: RunRecord; abort: AbortController; done: Promise<void> }>();

  constructor(
    dbPath: string,
    private readonly deps: { config: StoryCoreConfig; projects: ProjectDirs; events: EventLog },
  ) {
    this.db = new Database(dbPath);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS runs (
      id TEXT PRIMARY KEY, project TEXT NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL, request TEXT NOT NULL,
      created_at TEXT NOT NULL, finished_at TEXT, summary TEXT, error TEXT)`);
  }

  list(project?: string): RunRecord[] {
    const rows = (project
      ? this.db.prepare('SELECT * FROM runs WHERE project = ? ORDER BY created_at DESC LIMIT 200').all(project)
      : this.db.prepare('SELECT * FROM runs ORDER BY created_at DESC LIMIT 200').all()) as RunRow[];
    return rows.map(toRecord);
  }

  get(id: string): RunRecord | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  activeFor(project: string): RunRecord | undefined {
    for (const a of this.active.values()) if (a.record.project === project) return a.record;
    return undefined;
  }

  start(project: string, kind: RunKind, request: RunRequest): RunRecord {
    const busy = this.activeFor(project);
    if (busy) {
      throw new ApiError(409, 'RUN_IN_PROGRESS', `project '${project}' already has a ${busy.kind} run (${busy.id})`, {
        hint: `wait for it, follow it on /api/events?project=${project}, or cancel it with POST /api/projects/${project}/runs/${busy.id}/cancel`,
      });
    }
    const record: RunRecord = {
      id: `run-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
      project, kind, state: 'running', request, createdAt: new Date().toISOString(), finishedAt: null, summary: null, error: null,
    };
    this.db.prepare('INSERT INTO runs (id, project, kind, state, request, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(record.id, project, kind, 'running', JSON.stringify(request), record.createdAt);
    this.launch(record);
    return record;
  }

  /** Runs left running by a previous server process: started again (idempotent by task hash). */
  resumeInterrupted(): RunRecord[] {
    const rows = this.db.prepare("SELECT * FROM runs WHERE state = 'running'").all() as RunRow[];
    const resumed: RunRecord[] = [];
    for (const row of rows) {
      const record = toRecord(row);
      if (!this.deps.projects.exists(record.project)) {
        this.finish(record, 'failed', null, { code: 'PROJECT_GONE', message: `project '${record.project}' no longer exists` });
        continue;
      }
      this.deps.events.append(record.project, 'run', { run: record.id, kind: record.kind, state: 'resumed' });
      this.launch(record);
      resumed.push(record);
    }
    return resumed;
  }

  cancel(id: string): RunRecord {
    const active = this.active.get(id);
    if (!active) {
      const stored = this.get(id);
      if (!stored) throw new ApiError(404, 'NOT_FOUND', `run '${id}' not found`, { field: 'params.run', hint: 'list runs with GET /api/projects/{project}/runs' });
      throw new ApiError(409, 'RUN_NOT_RUNNING', `run '${id}' is ${stored.state}`, { hint: 'only a running run can be cancelled' });
    }
    active.abort.abort();
    return active.record;
  }

  /** Waits for a run to end (tests, shutdown). */
  async settled(id: string): Promise<RunRecord | undefined> {
    await this.active.get(id)?.done;
    return this.get(id);
  }

  /** Stops following every run; their jobs stay in the durable queues for the next start. */
  async detachAll(): Promise<void> {
    const all = [...this.active.values()];
    for (const a of all) a.abort.abort(new Error('server stopping'));
    await Promise.allSettled(all.map((a) => a.done));
  }

  close(): void {
    this.db.close();
  }

  private launch(record: RunRecord): void {
    const abort = new AbortController();
    const done = this.execute(record, abort.signal).then(
      (summary) => this.finish(record, abort.signal.aborted ? 'cancelled' : 'completed', summary, null),
      (error: unknown) => {
        const stopping = abort.signal.reason instanceof Error && abort.signal.reason.message === 'server stopping';
        if (stopping) return; // left 'running': the next start resumes it
        if (abort.signal.aborted) return this.finish(record, 'cancelled', null, null);
        this.finish(record, 'failed', null, errorSummary(error));
      },
    ).finally(() => this.active.delete(record.id));
    this.active.set(record.id, { record, abort, done });
    this.deps.events.append(record.project, 'run', { run: record.id, kind: record.kind, state: 'running' });
  }

  private finish(record: RunRecord, state: RunState, summary: unknown, error: RunRecord['error']): void {
    record.state = state;
    record.finishedAt = new Date().toISOString();
    record.summary = summary;
    record.error = error;
    this.db.prepare('UPDATE runs SET state = ?, finished_at = ?, summary = ?, error = ? WHERE id = ?')
      .run(state, record.finishedAt, summary === null ? null : JSON.stringify(summary), error === null ? null : JSON.stringify(error), record.id);
    this.deps.events.append(record.project, 'run', { run: record.id, kind: record.kind, state, ...(error ? { error } : {}), ...(summary ? { summary } : {}) });
  }

  private async execute(record: RunRecord, signal: AbortSignal): Promise<unknown> {
    const dir = this.deps.projects.dir(record.project);
    const { planStory } = await import('../../engine/story-plan.js');
    const plan = planStory(join(dir, 'story.yaml'), dir);
    return record.kind === 'render' ? this.render(record, plan) : this.generate(record, plan, signal);
  }

  private async generate(record: RunRecord, plan: StoryPlan, signal: AbortSignal): Promise<unknown> {
    const { ProjectSession } = await import('../../engine/project-session.js');
    const { generateStory } = await import('../../engine/generate.js');
    const { matchShots } = await import('../../story/tasks/index.js');
    const { config } = this.deps;
    const only = record.request.shots?.length ? matchShots(record.request.shots, plan.graph.shots) : undefined;
    const force = matchShots(record.request.force ?? [], plan.graph.shots);
    const scoped: StoryPlan = only ? { ...plan, graph: selectShots(plan.graph, only) } : plan;
    const session = await ProjectSession.open({ config, plan: scoped, cwd: plan.projectDir });
    const jobTasks = new Map<string, string>();
    let detach: (() => void) | undefined;
    // The engine opens only when a task has to run; its dispatcher's progress is forwarded then.
    const context = {
      state: session.state,
      engine: async () => {
        const engine = await session.engine();
        detach ??= forwardProgress(engine, this.deps.events, record.project, record.id, (jobId) => jobTasks.get(jobId));
        return engine;
      },
    };
    try {
      const report: GenerateReport = await generateStory(context, scoped, {
        force, signal, maxAttempts: config.queue.maxAttempts,
        onEvent: (event) => {
          if (event.type === 'task' && event.task.jobId) jobTasks.set(event.task.jobId, event.task.key);
          if (event.type === 'retry') this.deps.events.append(record.project, 'task', { run: record.id, retry: event });
          else if (event.type === 'alert') this.deps.events.append(null, 'alert', { run: record.id, project: record.project, alert: event.alert });
          else this.deps.events.append(record.project, 'task', { run: record.id, done: event.done, total: event.total, etaMs: event.etaMs ?? null, task: event.task });
        },
      });
      return { tasks: report.tasks.length, ran: report.ran, cached: report.cached, failed: report.failed, queued: report.queued, elapsedMs: report.elapsedMs };
    } finally {
      detach?.();
      await session.close();
    }
  }

  private async render(record: RunRecord, plan: StoryPlan): Promise<unknown> {
    const { ProjectState } = await import('../../engine.js');
    const { renderStory } = await import('../../engine/render-story.js');
    const state = await ProjectState.open(this.deps.config, plan.projectDir);
    try {
      const report = await renderStory(state.store, plan, {
        outDir: join(plan.projectDir, 'out'),
        ...(record.request.forceRender ? { force: true } : {}),
        onProgress: (progress) => this.deps.events.append(record.project, 'progress', { run: record.id, render: progress }),
      });
      const { createHash } = await import('node:crypto');
      const { createReadStream } = await import('node:fs');
      const { pipeline } = await import('node:stream/promises');
      const hash = createHash('sha256');
      await pipeline(createReadStream(report.finalPath), hash);
      return { final: 'out/final.mp4', sha256: hash.digest('hex'), durationSec: report.durationSec, frames: report.frames, width: report.width, height: report.height, fps: report.fps, stills: report.stills, missing: report.missing };
    } finally {
      await state.close();
    }
  }
}

/** The tasks of some shots, with every task they depend on. */
function selectShots(graph: StoryPlan['graph'], shots: ReadonlySet<string>): StoryPlan['graph'] {
  const byKey = new Map(graph.tasks.map((t) => [t.key, t]));
  const keep = new Set<string>();
  const visit = (key: string) => {
    if (keep.has(key)) return;
    keep.add(key);
    for (const dep of byKey.get(key)?.dependsOn ?? []) visit(dep);
  };
  for (const t of graph.tasks) if (shots.has(t.shotId)) visit(t.key);
  return { ...graph, tasks: graph.tasks.filter((t) => keep.has(t.key)) };
}

function errorSummary(error: unknown): NonNullable<RunRecord['error']> {
  if (isStoryCoreError(error)) return { code: error.code, message: error.message, ...(error.hint ? { fix: error.hint } : {}) };
  return { code: 'RUN_FAILED', message: error instanceof Error ? error.message : String(error) };
}

function toRecord(row: RunRow): RunRecord {
  return {
    id: row.id, project: row.project, kind: row.kind, state: row.state,
    request: JSON.parse(row.request) as RunRequest, createdAt: row.created_at, finishedAt: row.finished_at,
    summary: row.summary ? JSON.parse(row.summary) as unknown : null,
    error: row.error ? JSON.parse(row.error) as RunRecord['error'] : null,
  };
}
