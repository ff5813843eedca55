import { StoryCoreError } from '../../../errors/storycore-error.js';
import type { PreflightReport } from '../../../catalog/preflight/types.js';

/** The built graph cannot run on the chosen worker: every problem with its fix, before any GPU time. */
export class PreflightFailedError extends StoryCoreError {
  readonly report: PreflightReport;

  constructor(jobId: string, report: PreflightReport) {
    const problems = report.problems.map((p) => `${p.message} (fix: ${p.fix})`);
    super('DISPATCH_PREFLIGHT_FAILED', `job ${jobId} cannot run on ${report.worker.name}: ${problems.join('; ')}`, {
      hint: 'install what is missing on the worker (`storycore preflight` lists it with sizes and URLs), or change the job',
    });
    this.report = report;
  }
}
