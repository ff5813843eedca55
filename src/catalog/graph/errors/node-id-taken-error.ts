import { StoryCoreError } from '../../../errors/storycore-error.js';

/** Two nodes of one graph were given the same id. */
export class NodeIdTakenError extends StoryCoreError {
  constructor(readonly nodeId: string) {
    super('GRAPH_NODE_ID_TAKEN', `node id ${JSON.stringify(nodeId)} is already used in this graph`, {
      hint: 'omit the id to let the builder number the node, or choose an unused one',
    });
  }
}
