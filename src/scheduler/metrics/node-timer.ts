import type { JobEvent } from '../../comfy/client/job-types.js';
import type { NodeTimings } from './prompt-record.js';

/**
 * Times each node of one prompt from its event stream: a node runs from its `executing` event
 * to the next `executing` (another node) or the end of the prompt. Cached nodes never get an
 * `executing` event, so they cost nothing here, as on the GPU.
 */
export class NodeTimer {
  readonly nodes: NodeTimings = {};
  startedAt: number | undefined;
  endedAt: number | undefined;
  private current: { nodeId: string; since: number } | undefined;

  constructor(
    private readonly classOf: (nodeId: string) => string | undefined = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  observe(event: JobEvent): void {
    const at = this.now();
    switch (event.type) {
      case 'started':
        this.startedAt ??= at;
        break;
      case 'executing':
        this.startedAt ??= at;
        this.close(at);
        this.current = { nodeId: event.nodeId, since: at };
        break;
      case 'completed':
      case 'failed':
        this.close(at);
        this.endedAt = at;
        break;
      default:
        break;
    }
  }

  private close(at: number): void {
    if (!this.current) return;
    const { nodeId, since } = this.current;
    const classType = this.classOf(nodeId);
    const prior = this.nodes[nodeId]?.ms ?? 0;
    this.nodes[nodeId] = { ...(classType ? { classType } : {}), ms: prior + (at - since) };
    this.current = undefined;
  }
}
