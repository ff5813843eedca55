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
      const { shotStates } = await import('../../engine/shot-status.js');
      const plan = planStory(file, ctx.io.cwd, { allowedDirs: config.paths.allowedDirs, limits: config.limits });
      // status only looks: it must work (and change nothing) on a full or read-only disk.
      const state = await ProjectState.open(config, plan.projectDir, { readOnly: true });
      try {
        const states = await shotStates(state, plan);
        const shots: ShotStatus[] = states.shots.map((s) => ({ shot: s.shot, tasks: s.tasks.map(({ outputs: _outputs, ...t }) => t) }));
        const counts = states.queue;
        if (ctx.json) return ctx.printJson({ story: plan.storyPath, shots, queue: counts });
        for (const s of shots) ctx.out(`${s.shot}  ${s.tasks.map((t) => `${t.stage}: ${t.state}`).join('  ')}`);
        const all = shots.flatMap((s) => s.tasks);
        ctx.out(`${all.filter((t) => t.state === 'stored').length}/${all.length} tasks stored; queue: ${Object.entries(counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ') || 'empty'}`);
      } finally {
        await state.close();
      }
    });
}
