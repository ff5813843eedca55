import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { taskManifestSchema, type TaskManifest, type TaskOutput } from './manifest.js';
import { ensureDirSync } from '../platform/ensure-dir.js';
import { writingToSync } from '../platform/storage-errors.js';
import { openForReading } from '../platform/sqlite-reading.js';

/**
 * task hash → outputs, in `.storycore/index.sqlite` (WAL). SQLite rather than JSON files
 * because recording a task is one transaction over several rows (all outputs or none), other
 * processes can read while one writes, and gc asks "is this hash referenced?" in one query.
 */
export const TASK_INDEX_SCHEMA_VERSION = 1;
const SCHEMA_VERSION = TASK_INDEX_SCHEMA_VERSION;
/** The index's tables (exported for the open-race test). */
export const TASK_INDEX_SCHEMA = `
  CREATE TABLE tasks (
    task_hash TEXT PRIMARY KEY,
    template_id TEXT NOT NULL,
    template_version TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    manifest TEXT NOT NULL
  );
  CREATE TABLE task_outputs (
    task_hash TEXT NOT NULL REFERENCES tasks (task_hash) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    role TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    kind TEXT NOT NULL,
    filename TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    PRIMARY KEY (task_hash, position)
  );
  CREATE INDEX task_outputs_by_sha ON task_outputs (sha256);
  CREATE TABLE task_inputs (
    task_hash TEXT NOT NULL REFERENCES tasks (task_hash) ON DELETE CASCADE,
    role TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (task_hash, role, sha256)
  );
  CREATE INDEX task_inputs_by_sha ON task_inputs (sha256);
`;

export interface IndexedTask {
  taskHash: string;
  templateId: string;
  templateVersion: string;
  recordedAt: string;
  outputs: TaskOutput[];
  manifest: TaskManifest;
}

interface OutputRow { role: string; sha256: string; kind: string; filename: string; bytes: number }
interface TaskRow { task_hash: string; template_id: string; template_version: string; recorded_at: string; manifest: string }

export class TaskIndex {
  private readonly db: Database.Database;

  /** `snapshot`: read an existing index without writing anything beside it (`status`). */
  constructor(path: string, options: { readonly?: boolean; snapshot?: boolean } = {}) {
    if (options.snapshot) {
      this.db = openForReading(path);
      return;
    }
    if (!options.readonly) ensureDirSync(dirname(path));
    this.db = writingToSync(path, () => new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false }));
    this.db.pragma('busy_timeout = 5000');
    if (options.readonly) return;
    writingToSync(path, () => this.db.pragma('journal_mode = WAL'));
    // FULL: a committed record stands for GPU minutes; losing it to a power cut means rendering again.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    const version = () => this.db.pragma('user_version', { simple: true }) as number;
    if (version() < SCHEMA_VERSION) {
      // Two processes opening a new store race here: the version is read again under the
      // write lock, so only the first creates the tables.
      this.db.transaction(() => {
        if (version() >= SCHEMA_VERSION) return;
        this.db.exec(TASK_INDEX_SCHEMA);
        this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      }).immediate();
    }
  }

  /** Replaces the task's record with these outputs and manifest, in one transaction. */
  record(manifest: TaskManifest, recordedAt: string): void {
    const { taskHash, outputs, inputs } = manifest;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM tasks WHERE task_hash = ?').run(taskHash);
      this.db
        .prepare('INSERT INTO tasks (task_hash, template_id, template_version, recorded_at, manifest) VALUES (?, ?, ?, ?, ?)')
        .run(taskHash, manifest.template.id, manifest.template.version, recordedAt, JSON.stringify(manifest));
      const out = this.db.prepare('INSERT INTO task_outputs (task_hash, position, role, sha256, kind, filename, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)');
      outputs.forEach((o, i) => out.run(taskHash, i, o.role, o.sha256, o.kind, o.filename, o.bytes));
      const input = this.db.prepare('INSERT OR IGNORE INTO task_inputs (task_hash, role, sha256) VALUES (?, ?, ?)');
      for (const i of inputs) input.run(taskHash, i.role, i.sha256);
    }).immediate();
  }

  outputs(taskHash: string): TaskOutput[] | undefined {
    const exists = this.db.prepare('SELECT 1 FROM tasks WHERE task_hash = ?').get(taskHash);
    if (!exists) return undefined;
    const rows = this.db
      .prepare('SELECT role, sha256, kind, filename, bytes FROM task_outputs WHERE task_hash = ? ORDER BY position')
      .all(taskHash) as OutputRow[];
    return rows.map((r) => ({ ...r, kind: r.kind as TaskOutput['kind'] }));
  }

  task(taskHash: string): IndexedTask | undefined {
    const row = this.db.prepare('SELECT * FROM tasks WHERE task_hash = ?').get(taskHash) as TaskRow | undefined;
    return row ? this.toTask(row) : undefined;
  }

  /** Every recorded task, oldest first. */
  tasks(): IndexedTask[] {
    const rows = this.db.prepare('SELECT * FROM tasks ORDER BY recorded_at, task_hash').all() as TaskRow[];
    return rows.map((r) => this.toTask(r));
  }

  /** Every sha256 the index refers to, as an output or as an input of some task. */
  referencedHashes(): Set<string> {
    const rows = this.db.prepare('SELECT sha256 FROM task_outputs UNION SELECT sha256 FROM task_inputs').all() as { sha256: string }[];
    return new Set(rows.map((r) => r.sha256));
  }

  forget(taskHash: string): void {
    this.db.prepare('DELETE FROM tasks WHERE task_hash = ?').run(taskHash);
  }

  close(): void {
    this.db.close();
  }

  private toTask(row: TaskRow): IndexedTask {
    const manifest = taskManifestSchema.parse(JSON.parse(row.manifest));
    return {
      taskHash: row.task_hash,
      templateId: row.template_id,
      templateVersion: row.template_version,
      recordedAt: row.recorded_at,
      outputs: this.outputs(row.task_hash) ?? [],
      manifest,
    };
  }
}
