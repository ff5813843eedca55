/** Counters the tests and benchmarks read: accepted submissions and job executions, per prompt id. */
export interface PromptStats {
  submissions: number;
  executions: number;
  /** Nodes that really ran (cached ones excluded), summed over executions. */
  nodesExecuted: number;
}

export interface EmulatorStats {
  submissions: number;
  executions: number;
  nodesExecuted: number;
  byPromptId: Record<string, PromptStats>;
}

export class StatsRecorder {
  readonly stats: EmulatorStats = { submissions: 0, executions: 0, nodesExecuted: 0, byPromptId: {} };

  private entry(promptId: string): PromptStats {
    return (this.stats.byPromptId[promptId] ??= { submissions: 0, executions: 0, nodesExecuted: 0 });
  }

  submitted(promptId: string): void {
    this.stats.submissions++;
    this.entry(promptId).submissions++;
  }

  executionStarted(promptId: string): void {
    this.stats.executions++;
    this.entry(promptId).executions++;
  }

  nodeExecuted(promptId: string): void {
    this.stats.nodesExecuted++;
    this.entry(promptId).nodesExecuted++;
  }
}
