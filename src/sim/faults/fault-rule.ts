import { isDeepStrictEqual } from 'node:util';

/**
 * A failure to inject into the emulator, matched before a node executes (after its
 * `executing` message, where a real node would fail): raise an exception, delay, crash
 * the whole server (a dead worker) or hang forever (a stuck worker).
 */
export type FaultAction =
  | { type: 'raise'; exceptionType: string; message: string }
  | { type: 'delay'; ms: number }
  | { type: 'crash' }
  | { type: 'hang' };

export interface FaultRule {
  classType: string;
  /** Literal inputs the node must have (deep-equal) for the rule to match. */
  whenInputs?: Record<string, unknown>;
  action: FaultAction;
  /** How many times the rule fires; unlimited when absent. */
  times?: number;
}

/** The active rules of one emulator; the first matching rule with shots left fires. */
export class FaultBook {
  private readonly rules: Array<{ rule: FaultRule; left: number }> = [];

  constructor(rules: FaultRule[] = []) {
    for (const rule of rules) this.add(rule);
  }

  add(rule: FaultRule): void {
    this.rules.push({ rule, left: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** Consumes one shot of the first rule matching this node, if any. */
  take(classType: string, inputs: Record<string, unknown>): FaultAction | undefined {
    for (const slot of this.rules) {
      if (slot.left <= 0 || slot.rule.classType !== classType) continue;
      const wanted = slot.rule.whenInputs ?? {};
      if (!Object.entries(wanted).every(([name, value]) => isDeepStrictEqual(inputs[name], value))) continue;
      slot.left -= 1;
      return slot.rule.action;
    }
    return undefined;
  }
}
