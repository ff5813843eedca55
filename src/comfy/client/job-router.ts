import type { BinaryFrame } from '../protocol/binary-frame.js';
import { isCustomMessage, promptIdOf, type ServerMessage } from '../protocol/messages.js';
import type { SocketState } from './event-socket.js';
import type { ComfyJobHandle } from './job-handle.js';

/**
 * Routes the socket's events to job handles by prompt id. Messages without one (the
 * reconnect replay `executing`, legacy type-1 previews, text frames) go to this client's
 * running job; `status` broadcasts tell pending jobs the queue changed.
 */
export class JobRouter {
  private readonly handles = new Map<string, ComfyJobHandle>();
  private runningPromptId: string | undefined;

  add(handle: ComfyJobHandle): void {
    this.handles.set(handle.promptId, handle);
  }

  remove(handle: ComfyJobHandle): void {
    if (this.handles.get(handle.promptId) === handle) this.handles.delete(handle.promptId);
    if (this.runningPromptId === handle.promptId) this.runningPromptId = undefined;
  }

  get size(): number {
    return this.handles.size;
  }

  all(): ComfyJobHandle[] {
    return [...this.handles.values()];
  }

  message(message: ServerMessage): void {
    if (isCustomMessage(message)) return;
    if (message.type === 'status') {
      for (const h of this.handles.values()) h.onQueueChanged();
      return;
    }
    const promptId = promptIdOf(message) ?? (message.type === 'executing' ? this.running()?.promptId : undefined);
    if (message.type === 'execution_start' && promptId) this.runningPromptId = promptId;
    const handle = promptId ? this.handles.get(promptId) : undefined;
    handle?.onMessage(message);
    const ended =
      (message.type === 'executing' && message.data.node === null) ||
      message.type === 'execution_success' ||
      message.type === 'execution_error' ||
      message.type === 'execution_interrupted';
    if (ended && promptId === this.runningPromptId) this.runningPromptId = undefined;
  }

  binary(frame: BinaryFrame): void {
    const target = frame.kind === 'preview_with_metadata' ? this.handles.get(frame.metadata.prompt_id) : this.running();
    target?.onBinary(frame);
  }

  /** After a reconnect events may have been missed; after a drop jobs must switch to polling. */
  socketChanged(state: SocketState, reconnected: boolean): void {
    if ((state === 'open' && reconnected) || state === 'waiting' || state === 'idle') {
      for (const h of this.handles.values()) h.onSocketChange();
    }
  }

  private running(): ComfyJobHandle | undefined {
    if (this.runningPromptId) return this.handles.get(this.runningPromptId);
    // After a reconnect we may not have seen execution_start; a poll may have marked it running.
    return [...this.handles.values()].find((h) => h.running);
  }
}
