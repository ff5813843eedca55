import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EventLog, ServerEvent } from './event-log.js';

export interface SseOptions {
  project: string | undefined;
  /** The last event the client saw (`Last-Event-ID` header or `lastEventId` query). */
  afterId: number;
  heartbeatMs: number;
  /** Bytes queued for a client before it is dropped as too slow. */
  maxBufferedBytes: number;
  /** Open streams, so that a stopping server can end them. */
  open: Set<() => void>;
}

/** Frames are built once per event and shared by every subscriber (hundreds of streams, one stringify). */
const frames = new WeakMap<ServerEvent, string>();

function frame(event: ServerEvent): string {
  let text = frames.get(event);
  if (text === undefined) {
    text = `id: ${event.id}\nevent: ${event.kind}\ndata: ${JSON.stringify({ project: event.project, at: event.at, ...(event.data as object) })}\n\n`;
    frames.set(event, text);
  }
  return text;
}

/**
 * One SSE stream. Subscribes first and buffers, replays the persisted log after `afterId`,
 * then sends the buffer minus what the replay covered: every event once, in order. A client
 * that cannot keep up is dropped with a reason instead of slowing the engine (writes never
 * wait; the socket's own buffer is the bound).
 */
export function streamEvents(request: FastifyRequest, reply: FastifyReply, log: EventLog, options: SseOptions): void {
  const socket = reply.raw;
  reply.hijack();
  socket.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  let lastSent = options.afterId;
  let replaying = true;
  const pending: ServerEvent[] = [];
  let closed = false;

  const relevant = (e: ServerEvent) => options.project === undefined || e.project === options.project || e.project === null;
  const send = (e: ServerEvent): void => {
    if (closed || e.id <= lastSent) return;
    lastSent = e.id;
    socket.write(frame(e));
    if (socket.writableLength > options.maxBufferedBytes) {
      socket.write(`event: dropped\ndata: ${JSON.stringify({ reason: 'client too slow: reconnect with Last-Event-ID to catch up', lastEventId: lastSent })}\n\n`);
      close();
    }
  };
  const unsubscribe = log.subscribe((e) => {
    if (!relevant(e)) return;
    if (replaying) pending.push(e);
    else send(e);
  });
  const heartbeat = setInterval(() => {
    if (!closed) socket.write(`: heartbeat ${Date.now()}\n\n`);
  }, options.heartbeatMs);
  heartbeat.unref();
  const close = () => {
    if (closed) return;
    closed = true;
    options.open.delete(close);
    clearInterval(heartbeat);
    unsubscribe();
    socket.end();
  };
  options.open.add(close);
  request.raw.on('close', close);
  socket.on('error', close);

  socket.write(`retry: 2000\n\n`);
  for (let batch = log.since(lastSent, options.project); batch.length > 0 && !closed; batch = log.since(lastSent, options.project)) {
    for (const e of batch) send(e);
  }
  replaying = false;
  for (const e of pending) send(e);
  pending.length = 0;
}
