import type { Engine } from '../../engine.js';
import type { EventLog } from '../events/event-log.js';

/** Largest sampler preview sent inline (base64) in an event; larger ones are announced without bytes. */
const MAX_INLINE_PREVIEW = 96 * 1024;
/** At most one progress and one preview event per job in this interval: the log stays bounded. */
const THROTTLE_MS = 250;

/**
 * Forwards a run's dispatcher events to the event log: node and step progress (throttled),
 * sampler preview frames (small ones inline as base64 JPEG/PNG) and worker transitions.
 * `taskOf` names the story task of a job (`shot-003/clip`).
 */
export function forwardProgress(engine: Engine, events: EventLog, project: string, run: string, taskOf: (jobId: string) => string | undefined): () => void {
  const last = new Map<string, number>();
  const due = (key: string) => {
    const now = Date.now();
    if (now - (last.get(key) ?? 0) < THROTTLE_MS) return false;
    last.set(key, now);
    return true;
  };
  const d = engine.dispatcher.events;
  const onProgress = (e: { jobId: string; worker: string; promptId: string; event: import('../../comfy/client/job-types.js').JobEvent }) => {
    const task = taskOf(e.jobId) ?? null;
    const ev = e.event;
    if (ev.type === 'executing') events.append(project, 'progress', { run, task, worker: e.worker, promptId: e.promptId, node: ev.nodeId });
    else if (ev.type === 'progress' && (ev.value >= ev.max || due(`p:${e.jobId}`))) {
      events.append(project, 'progress', { run, task, worker: e.worker, promptId: e.promptId, node: ev.nodeId, step: ev.value, total: ev.max });
    } else if (ev.type === 'preview' && due(`v:${e.jobId}`)) {
      const inline = ev.bytes.byteLength <= MAX_INLINE_PREVIEW;
      events.append(project, 'preview', {
        run, task, worker: e.worker, promptId: e.promptId, node: ev.nodeId ?? null, format: ev.format, bytes: ev.bytes.byteLength,
        ...(inline ? { dataUrl: `data:image/${ev.format};base64,${Buffer.from(ev.bytes).toString('base64')}` } : {}),
      });
    }
  };
  const onDown = (e: { worker: string; reason: string; moved: string[] }) => events.append(null, 'worker', { worker: e.worker, state: 'down', reason: e.reason, moved: e.moved.length });
  const onBack = (e: { worker: string; deleted: string[]; interrupted: string[] }) => events.append(null, 'worker', { worker: e.worker, state: 'back', orphansDeleted: e.deleted.length, orphansInterrupted: e.interrupted.length });
  d.on('progress', onProgress);
  d.on('worker.down', onDown);
  d.on('worker.orphans_cleared', onBack);
  return () => {
    d.off('progress', onProgress);
    d.off('worker.down', onDown);
    d.off('worker.orphans_cleared', onBack);
  };
}
