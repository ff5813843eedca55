import { StoryCoreError } from '../../../errors/storycore-error.js';

/** A queued job's payload is not a dispatchable task. */
export class InvalidPayloadError extends StoryCoreError {
  constructor(jobId: string, detail: string) {
    super('DISPATCH_INVALID_PAYLOAD', `job ${jobId} has an invalid payload: ${detail}`, {
      hint: 'a dispatchable job carries {templateId, params, inputs: [{name, path|sha256}], outputs}; see docs/dispatcher.md',
    });
  }
}
