import type { JobEvent } from '../comfy/client/index.js';
import type { ApiGraph } from '../comfy/graph.js';

/** What a job is doing now, for a progress display. */
export interface RunProgress {
  node?: string;
  classType?: string;
  value?: number;
  max?: number;
}

/**
 * Reads a job event into a progress update: the node now executing and, for samplers, the
 * step. Events a display does not show (previews, cached lists, the final result) give undefined.
 */
export function progressFromEvent(event: JobEvent, graph: ApiGraph): RunProgress | undefined {
  switch (event.type) {
    case 'executing':
      return { node: event.nodeId, classType: graph[event.nodeId]?.class_type };
    case 'progress': {
      const node = event.nodeId ?? undefined;
      return { node, classType: node ? graph[node]?.class_type : undefined, value: event.value, max: event.max };
    }
    default:
      return undefined;
  }
}
