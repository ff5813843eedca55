import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { PromptRecord } from './prompt-record.js';
import { ensureDirSync } from '../../platform/ensure-dir.js';

const rowSchema = z.object({
  job_id: z.string(),
  attempt: z.number(),
  worker: z.string(),
  gpu: z.string(),
  prompt_id: z.string().nullable(),
  template_id: z.string(),
  outcome: z.enum(['completed', 'failed', 'retried', 'cancelled', 'released']),
  error_code: z.string().nullable(),
  created_at: z.number(),
  leased_at: z.number(),
  submitted_at: z.number().nullable(),
  started_at: z.number().nullable(),
  finished_at: z.number().nullable(),
  done_at: z.number(),
  queued_ms: z.number(),
  upload_ms: z.number(),
  execute_ms: z.number().nullable(),
  download_ms: z.number(),
  model_loads: z.number(),
  nodes: z.string(),
  reattached: z.number(),
});
const nodesSchema = z.record(z.string(), z.object({ classType: z.string().optional(), ms: z.number() }));

/**
 * Attempts recorded by dispatchers, in SQLite: by default the queue's own file (table
 * `storycore_metrics_prompts`, beside the queue's tables, WAL mode, several processes), so
 * `storycore metrics` reads what every dispatcher on the machine recorded. With the BullMQ
 * backend it is `<dataDir>/metrics.sqlite`. docs/dispatcher.md has the columns.
 */
export class MetricsStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;

  constructor(readonly path: string) {
    if (path !== ':memory:') ensureDirSync(dirname(path));
    this.db = new Database(path);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS storycore_metrics_prompts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id TEXT NOT NULL, attempt INTEGER NOT NULL, worker TEXT NOT NULL, gpu TEXT NOT NULL,
        prompt_id TEXT, template_id TEXT NOT NULL, outcome TEXT NOT NULL, error_code TEXT,
        created_at INTEGER NOT NULL, leased_at INTEGER NOT NULL, submitted_at INTEGER,
        started_at INTEGER, finished_at INTEGER, done_at INTEGER NOT NULL,
        queued_ms REAL NOT NULL, upload_ms REAL NOT NULL, execute_ms REAL, download_ms REAL NOT NULL,
        model_loads INTEGER NOT NULL, nodes TEXT NOT NULL, reattached INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS storycore_metrics_prompts_done ON storycore_metrics_prompts (done_at);
    `);
    this.insert = this.db.prepare(`
      INSERT INTO storycore_metrics_prompts (job_id, attempt, worker, gpu, prompt_id, template_id, outcome, error_code,
        created_at, leased_at, submitted_at, started_at, finished_at, done_at, queued_ms, upload_ms, execute_ms,
        download_ms, model_loads, nodes, reattached)
      VALUES (@jobId, @attempt, @worker, @gpu, @promptId, @templateId, @outcome, @errorCode, @createdAt, @leasedAt,
        @submittedAt, @startedAt, @finishedAt, @doneAt, @queuedMs, @uploadMs, @executeMs, @downloadMs, @modelLoads,
        @nodes, @reattached)`);
  }

  record(r: PromptRecord): void {
    this.insert.run({ ...r, nodes: JSON.stringify(r.nodes), reattached: r.reattached ? 1 : 0 });
  }

  /** Attempts done at or after `since` (default: all), oldest first. */
  prompts(since = 0): PromptRecord[] {
    const rows = this.db.prepare('SELECT * FROM storycore_metrics_prompts WHERE done_at >= ? ORDER BY done_at, id').all(since);
    return rows.map((raw) => {
      const row = rowSchema.parse(raw);
      return {
        jobId: row.job_id,
        attempt: row.attempt,
        worker: row.worker,
        gpu: row.gpu,
        promptId: row.prompt_id,
        templateId: row.template_id,
        outcome: row.outcome,
        errorCode: row.error_code,
        createdAt: row.created_at,
        leasedAt: row.leased_at,
        submittedAt: row.submitted_at,
        startedAt: row.started_at,
        finishedAt: row.finished_at,
        doneAt: row.done_at,
        queuedMs: row.queued_ms,
        uploadMs: row.upload_ms,
        executeMs: row.execute_ms,
        downloadMs: row.download_ms,
        modelLoads: row.model_loads,
        nodes: nodesSchema.parse(JSON.parse(row.nodes)),
        reattached: row.reattached === 1,
      };
    });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
