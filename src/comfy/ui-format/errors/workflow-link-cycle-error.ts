import { StoryCoreError } from '../../../errors/storycore-error.js';

/** Following a link came back to where it started (reroutes or bypassed nodes wired in a loop). */
export class WorkflowLinkCycleError extends StoryCoreError {
  readonly nodeId: string;

  constructor(nodeId: string, type: string) {
    super('WORKFLOW_LINK_CYCLE', `links loop back through node ${nodeId} (${type})`, {
      hint: 'open the workflow in the ComfyUI editor and break the loop of reroutes/bypassed nodes',
    });
    this.nodeId = nodeId;
  }
}
