import { StoryCoreError } from '../../errors/storycore-error.js';

/** A scenario waited for a server message (the recording's `note`) that never came. */
export class ScenarioWaitError extends StoryCoreError {
  readonly scenario: string;
  readonly waitingFor: string;

  constructor(scenario: string, waitingFor: string, timeoutMs: number) {
    super('CONFORMANCE_WAIT_TIMEOUT', `scenario ${scenario}: no ${waitingFor} within ${timeoutMs} ms`, {
      hint: 'the server did not send what real ComfyUI sent at this point; compare the live transcript with the recorded one',
    });
    this.scenario = scenario;
    this.waitingFor = waitingFor;
  }
}
