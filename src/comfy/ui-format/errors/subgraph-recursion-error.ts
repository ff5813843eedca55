import { StoryCoreError } from '../../../errors/storycore-error.js';

/** A subgraph definition that (directly or through others) contains an instance of itself. */
export class SubgraphRecursionError extends StoryCoreError {
  readonly nodeId: string;
  readonly chain: string[];

  constructor(nodeId: string, chain: string[]) {
    super('WORKFLOW_SUBGRAPH_RECURSION', `subgraph instance ${nodeId} contains itself: ${chain.join(' → ')}`, {
      hint: 'open the workflow in the ComfyUI editor and remove the self-referencing subgraph node',
    });
    this.nodeId = nodeId;
    this.chain = chain;
  }
}
