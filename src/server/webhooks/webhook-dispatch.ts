import { WebhookSender } from '../../scheduler/alerts/index.js';
import type { EventLog, ServerEvent } from '../events/event-log.js';
import type { WebhookEvent, WebhookStore } from './webhook-store.js';

/** The webhook event a server event stands for, if any. */
export function webhookEventOf(event: ServerEvent): WebhookEvent | undefined {
  const data = event.data as { state?: string; task?: { status?: string } };
  if (event.kind === 'run' && data.state === 'completed') return 'run.completed';
  if (event.kind === 'run' && data.state === 'failed') return 'run.failed';
  if (event.kind === 'task' && data.task?.status === 'ran') return 'task.completed';
  if (event.kind === 'worker' && data.state === 'down') return 'worker.down';
  if (event.kind === 'alert') return 'alert';
  return undefined;
}

/**
 * Posts the events subscribers asked for, with the one WebhookSender (Standard Webhooks
 * signatures, retries with backoff, bounded backlog). Deliveries run in the background and are
 * logged; a failing or slow receiver never blocks or crashes the engine.
 */
export class WebhookDispatch {
  private readonly senders = new Map<string, WebhookSender>();
  private readonly unsubscribe: () => void;

  constructor(private readonly store: WebhookStore, events: EventLog, private readonly options: { baseDelayMs?: number; timeoutMs?: number } = {}) {
    this.unsubscribe = events.subscribe((event) => this.publish(event));
  }

  private sender(id: string, url: string, secret: string): WebhookSender {
    let sender = this.senders.get(id);
    if (!sender) {
      sender = new WebhookSender({
        url, secret, ...this.options,
        onOutcome: (o) => this.store.record({ id: o.id, webhook: id, event: o.event as WebhookEvent, ok: o.ok, status: o.status ?? null, attempts: o.attempts, error: o.error ?? null, at: new Date().toISOString() }),
      });
      this.senders.set(id, sender);
    }
    return sender;
  }

  private publish(event: ServerEvent): void {
    const type = webhookEventOf(event);
    if (!type) return;
    for (const sub of this.store.list()) {
      if (!sub.events.includes(type)) continue;
      if (sub.project !== null && event.project !== null && sub.project !== event.project) continue;
      this.sender(sub.id, sub.url, sub.secret).send(type, { eventId: event.id, project: event.project, at: event.at, ...(event.data as object) });
    }
  }

  forget(id: string): void {
    this.senders.delete(id);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await Promise.all([...this.senders.values()].map((s) => s.flush()));
  }
}
