import { StoryCoreError } from '../../../errors/storycore-error.js';

export class JobNotFoundError extends StoryCoreError {
  readonly jobId: string;

  constructor(jobId: string) {
    super('QUEUE_JOB_NOT_FOUND', `no job with id ${jobId} in the queue`, {
      hint: 'check the id (a task content hash); jobs are only removed when the queue file or Redis db is',
    });
    this.jobId = jobId;
  }
}
