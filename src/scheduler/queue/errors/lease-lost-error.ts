import { StoryCoreError } from '../../../errors/storycore-error.js';

/** The caller no longer holds the job's lease: it expired and was recovered, or was cancelled. */
export class LeaseLostError extends StoryCoreError {
  readonly jobId: string;

  constructor(jobId: string, owner: string, detail: string) {
    super('QUEUE_LEASE_LOST', `job ${jobId} is no longer leased by ${owner}: ${detail}`, {
      hint: 'stop working on this job (interrupt its prompt); another dispatcher owns it now or it was cancelled',
    });
    this.jobId = jobId;
  }
}
