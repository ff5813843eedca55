import type { Command } from 'commander';
import type { CommandSetup } from '../command-setup.js';

interface ShotStatus {
  shot: string;
  tasks: { key: string; stage: string; templateId: string; state: string; taskHash?: string }[];
}

export function registerStatus(program: Command, setup: CommandSetup): void {
  program
    .command('status')
    .description('per shot: which tasks have stored assets, which are queued or running, and the queue totals (read-only: writes nothing)')
    .argument('[story.yaml]', 'the story file', 'story.yaml')
    .option('--json', 'print JSON')
    .action(async (file: string, _options: unknown, command: Command) => {
      const ctx = setup.context(command);
      const { config } = ctx.loadConfig();
      const { planStory } = await import('../../engine/story-plan.js');
      const { ProjectState } = await import('../../engine.js');
      const { storedTasks } = await import('../../engine/stored-tasks.js');
      const { storyJobs } = await import('../../engine/generate.js');
      const plan = planStory(file, ctx.io.cwd);
      // status only looks: it must work (and change nothing) on a full or read-only disk.
      const state = await ProjectState.open(config, plan.projectDir, { readOnly: true });
      try {
        const stored = await storedTasks(state.store, plan);
        const jobs = storyJobs(await state.queue.list(), plan.storyPath);
        const shots: ShotStatus[] = plan.graph.shots.map((shot) => ({
          shot,
          tasks: plan.graph.tasks
            .filter((t) => t.shotId === shot)
            .map((t) => {
              const s = stored.get(t.key);
              const job = s?.hash ? (jobs.get(t.key) ?? []).filter((j) => j.id.startsWith(s.hash!)).at(-1) : undefined;
              const state = s?.outputs ? 'stored' : job && !['completed', 'cancelled'].includes(job.state) ? job.state : s?.hash ? 'not generated' : 'waiting for input';
              return { key: t.key, stage: t.stage, templateId: t.templateId, state, ...(s?.hash ? { taskHash: s.hash } : {}) };
            }),
        }));
        const counts = await state.queue.counts();
        if (ctx.json) return ctx.printJson({ story: plan.storyPath, shots, queue: counts });
        for (const s of shots) ctx.out(`${s.shot}  ${s.tasks.map((t) => `${t.stage}: ${t.state}`).join('  ')}`);
        const all = shots.flatMap((s) => s.tasks);
        ctx.out(`${all.filter((t) => t.state === 'stored').length}/${all.length} tasks stored; queue: ${Object.entries(counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ') || 'empty'}`);
      } finally {
        await state.close();
      }
    });
}
