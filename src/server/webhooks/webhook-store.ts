import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';

export const WEBHOOK_EVENTS = ['run.completed', 'run.failed', 'task.completed', 'worker.down', 'alert'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookSubscription {
  id: string;
  /** null: every project (and global events). */
  project: string | null;
  url: string;
  events: WebhookEvent[];
  createdAt: string;
}

export interface DeliveryRecord {
  id: string;
  webhook: string;
  event: WebhookEvent;
  ok: boolean;
  status: number | null;
  attempts: number;
  error: string | null;
  at: string;
}

/** Webhook subscriptions and their delivery log, in server.db. Secrets are stored, never listed. */
export class WebhookStore {
  private readonly db: Database.Database;

  constructor(path: string, private readonly logSize = 10_000) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS webhooks (
      id TEXT PRIMARY KEY, project TEXT, url TEXT NOT NULL, events TEXT NOT NULL, secret TEXT NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS webhook_deliveries (
      id TEXT PRIMARY KEY, webhook TEXT NOT NULL, event TEXT NOT NULL, ok INTEGER NOT NULL, status INTEGER, attempts INTEGER NOT NULL,
      error TEXT, at TEXT NOT NULL, seq INTEGER)`);
  }

  add(input: { project: string | null; url: string; events: WebhookEvent[]; secret: string }): WebhookSubscription {
    const sub = { id: `wh_${randomBytes(6).toString('hex')}`, project: input.project, url: input.url, events: input.events, createdAt: new Date().toISOString() };
    this.db.prepare('INSERT INTO webhooks (id, project, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(sub.id, sub.project, sub.url, JSON.stringify(sub.events), input.secret, sub.createdAt);
    return sub;
  }

  list(): (WebhookSubscription & { secret: string })[] {
    return (this.db.prepare('SELECT * FROM webhooks ORDER BY created_at').all() as { id: string; project: string | null; url: string; events: string; secret: string; created_at: string }[])
      .map((r) => ({ id: r.id, project: r.project, url: r.url, events: JSON.parse(r.events) as WebhookEvent[], secret: r.secret, createdAt: r.created_at }));
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM webhooks WHERE id = ?').run(id).changes > 0;
  }

  record(delivery: DeliveryRecord): void {
    this.db.prepare('INSERT OR REPLACE INTO webhook_deliveries (id, webhook, event, ok, status, attempts, error, at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM webhook_deliveries))')
      .run(delivery.id, delivery.webhook, delivery.event, delivery.ok ? 1 : 0, delivery.status, delivery.attempts, delivery.error, delivery.at);
    this.db.prepare('DELETE FROM webhook_deliveries WHERE seq <= (SELECT MAX(seq) FROM webhook_deliveries) - ?').run(this.logSize);
  }

  deliveries(webhook: string, limit = 100): DeliveryRecord[] {
    return (this.db.prepare('SELECT * FROM webhook_deliveries WHERE webhook = ? ORDER BY seq DESC LIMIT ?').all(webhook, limit) as { id: string; webhook: string; event: WebhookEvent; ok: number; status: number | null; attempts: number; error: string | null; at: string }[])
      .map((r) => ({ ...r, ok: r.ok === 1 }));
  }

  close(): void {
    this.db.close();
  }
}
