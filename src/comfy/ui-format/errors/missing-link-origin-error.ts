import { StoryCoreError } from '../../../errors/storycore-error.js';

/**
 * A link in the workflow comes from a node that is not in it (the file was edited by hand, or
 * saved by a broken extension). Sending the prompt without that input would run something
 * other than what the workflow shows, so conversion stops unless the caller is lenient.
 */
export class MissingLinkOriginError extends StoryCoreError {
  readonly nodeId: string;
  readonly input: string;
  readonly originId: string;

  constructor(nodeId: string, type: string, input: string, originId: string) {
    super('WORKFLOW_LINK_ORIGIN_MISSING', `node ${nodeId} (${type}) input '${input}' is linked from node ${originId}, which is not in the workflow`, {
      hint: 'reconnect the input in the ComfyUI editor and save again, or pass --lenient to convert with the input left unconnected',
    });
    this.nodeId = nodeId;
    this.input = input;
    this.originId = originId;
  }
}
