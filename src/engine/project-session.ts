import type { StoryCoreConfig } from '../config/index.js';
import { Engine, ProjectState, type SimSettings } from '../engine.js';
import type { GenerateContext } from './generate.js';
import { requiredModels, type StoryPlan } from './story-plan.js';

export interface SessionOptions {
  config: StoryCoreConfig;
  plan: StoryPlan;
  /** Where relative `paths.dataDir` (the local worker list) is resolved. */
  cwd: string;
  /** Emulated workers; their model lists default to what the story's tasks load. */
  sim?: Omit<SimSettings, 'models'> & { models?: Record<string, string[]> };
}

/**
 * One command's use of a project: its state opened now, its workers (and dispatcher) only
 * when a task has to run. `close` shuts down whatever was opened.
 */
export class ProjectSession implements GenerateContext {
  private opened: Promise<Engine> | undefined;

  private constructor(
    readonly state: ProjectState,
    private readonly options: SessionOptions,
  ) {}

  static async open(options: SessionOptions): Promise<ProjectSession> {
    return new ProjectSession(await ProjectState.open(options.config, options.plan.projectDir), options);
  }

  engine(): Promise<Engine> {
    const { config, plan, cwd, sim } = this.options;
    this.opened ??= Engine.open({
      config,
      projectDir: plan.projectDir,
      cwd,
      state: this.state,
      ...(sim ? { sim: { ...sim, models: sim.models ?? requiredModels(plan.graph.tasks) } } : {}),
    });
    return this.opened;
  }

  /** The emulators, when the engine was opened with `sim` (tests read their counters). */
  async emulators(): Promise<Engine['emulators']> {
    return this.opened ? (await this.opened).emulators : [];
  }

  async close(): Promise<void> {
    const engine = await this.opened?.catch(() => undefined);
    if (engine) await engine.close();
    else await this.state.close();
  }
}
