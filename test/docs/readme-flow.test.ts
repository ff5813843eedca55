import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { planStory, requiredModels } from '../../src/engine/story-plan.js';
import { startEmulator, type Emulator } from '../../src/sim/index.js';
import { cli, tempDir } from '../cli/support/run-cli.js';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

/** The shell block under "## From a story to a cut", one command per line, comments dropped. */
function storyToCutSteps(): string[][] {
  const section = README.split('## From a story to a cut')[1]!;
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line.length > 0)
    .flatMap((line) => line.split('&&').map((part) => part.trim().split(/\s+/)));
}

describe("README's 'From a story to a cut', run as written", () => {
  let emulator: Emulator | undefined;
  afterAll(async () => {
    await emulator?.close();
  });

  it('every step succeeds, with the example worker address pointing at an emulator', async () => {
    const steps = storyToCutSteps();
    expect(steps.map((s) => s.slice(0, 3).join(' '))).toEqual([
      'npx storycore init', 'cd my-film', 'npx storycore plan', 'npx storycore workers', 'npx storycore generate', 'npx storycore generate', 'npx storycore render', 'npx storycore status',
    ]);
    let cwd = tempDir('storycore-readme-');
    for (const step of steps) {
      if (step[0] === 'cd') {
        cwd = join(cwd, step[1]!);
        continue;
      }
      const argv = step.slice(2);
      if (argv[0] === 'workers' && argv[1] === 'add') {
        // The README's worker is a GPU box; here it is an emulator with the models the plan needs.
        emulator = await startEmulator({ timeScale: 0.01, models: requiredModels(planStory('story.yaml', cwd).graph.tasks) });
        argv[2] = emulator.url;
      }
      const run = await cli(argv, { cwd });
      expect(run.code, `${step.join(' ')}\n${run.stdout}${run.stderr}`).toBe(0);
    }
    const status = await cli(['status', '--json'], { cwd });
    const tasks = (JSON.parse(status.stdout) as { shots: { tasks: { state: string }[] }[] }).shots.flatMap((s) => s.tasks);
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((t) => t.state === 'stored')).toBe(true);
  }, 300_000);
});
