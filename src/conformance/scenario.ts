import type { FaultRule } from '../sim/faults/fault-rule.js';
import type { ScenarioSession } from './session.js';

/** Knobs of a run that only the emulator honours (a real ComfyUI is slow on its own). */
export interface EmulatorKnobs {
  /** How long a "slow" ImageBlur lasts (real ms), so an interrupt or a reconnect lands while it runs. */
  slowMs: number;
}

/**
 * A difference the emulator keeps on purpose. Matched against `Difference.where` + ' ' + path;
 * the reason is printed with the run so it is never a silent skip.
 */
export interface AllowedDifference {
  match: RegExp;
  reason: string;
}

/** One recorded scenario, replayed action by action against any server. */
export interface ScenarioScript {
  /** '01' … '13', the prefix of the recording's file name. */
  id: string;
  name: string;
  /** The recording in test/fixtures/comfyui/. */
  file: string;
  /** Fault rules the emulator needs to behave like the recording's CPU-only server. */
  emulatorFaults?: (knobs: EmulatorKnobs) => FaultRule[];
  allowedDifferences?: AllowedDifference[];
  run(session: ScenarioSession): Promise<void>;
}
