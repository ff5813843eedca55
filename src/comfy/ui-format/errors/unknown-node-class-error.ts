import { StoryCoreError } from '../../../errors/storycore-error.js';

export interface UnknownNode {
  id: string;
  type: string;
}

/** The workflow uses node classes the given object_info does not define (a custom node pack). */
export class UnknownNodeClassError extends StoryCoreError {
  readonly nodes: UnknownNode[];

  constructor(nodes: UnknownNode[]) {
    const list = nodes.map((n) => `node ${n.id} (${n.type})`).join(', ');
    super('WORKFLOW_UNKNOWN_NODE_CLASS', `unknown node class${nodes.length > 1 ? 'es' : ''}: ${list}`, {
      hint: 'install the custom node pack or pass --object-info from a worker that has it',
    });
    this.nodes = nodes;
  }
}
