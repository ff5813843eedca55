import Database from 'better-sqlite3';

export const EVENT_KINDS = ['run', 'task', 'progress', 'preview', 'worker', 'alert'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface ServerEvent {
  /** Monotonic across the whole server and across restarts. */
  id: number;
  /** The project the event belongs to; null for global events (workers, alerts). */
  project: string | null;
  kind: EventKind;
  at: string;
  data: unknown;
}

type Listener = (event: ServerEvent) => void;

/**
 * Every event the server emits, in a persisted, bounded log (SQLite): a client that reconnects
 * with `Last-Event-ID` gets every event it missed, in order, even after a server restart. The
 * oldest events beyond `capacity` are pruned; a client asking for an id older than that learns
 * it from `oldestId` and starts from the oldest kept.
 */
export class EventLog {
  private readonly db: Database.Database;
  private readonly listeners = new Set<Listener>();
  private readonly insert: Database.Statement;
  private appended = 0;

  constructor(path: string, private readonly capacity = 100_000) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS events (
      id INTEGER PRIMARY KEY AUTOINCREMENT, project TEXT, kind TEXT NOT NULL, at TEXT NOT NULL, data TEXT NOT NULL)`);
    this.insert = this.db.prepare('INSERT INTO events (project, kind, at, data) VALUES (?, ?, ?, ?)');
  }

  append(project: string | null, kind: EventKind, data: unknown): ServerEvent {
    const at = new Date().toISOString();
    const info = this.insert.run(project, kind, at, JSON.stringify(data));
    const event: ServerEvent = { id: Number(info.lastInsertRowid), project, kind, at, data };
    if (++this.appended % 1000 === 0) this.prune();
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Events after `afterId`, for one project (and the global ones) or for all. */
  since(afterId: number, project?: string, limit = 10_000): ServerEvent[] {
    const rows = (project === undefined
      ? this.db.prepare('SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?').all(afterId, limit)
      : this.db.prepare('SELECT * FROM events WHERE id > ? AND (project = ? OR project IS NULL) ORDER BY id LIMIT ?').all(afterId, project, limit)) as
      { id: number; project: string | null; kind: EventKind; at: string; data: string }[];
    return rows.map((r) => ({ id: r.id, project: r.project, kind: r.kind, at: r.at, data: JSON.parse(r.data) as unknown }));
  }

  lastId(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM events').get() as { id: number }).id;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private prune(): void {
    this.db.prepare('DELETE FROM events WHERE id <= (SELECT MAX(id) FROM events) - ?').run(this.capacity);
  }

  close(): void {
    this.listeners.clear();
    this.db.close();
  }
}
