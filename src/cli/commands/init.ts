import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { CommandSetup } from '../command-setup.js';
import { displayPath } from '../display-path.js';
import { UsageError } from '../errors/usage-error.js';
import { ensureDirSync } from '../../platform/ensure-dir.js';
import { writingToSync } from '../../platform/storage-errors.js';

/** The example story shipped with the package (examples/ is in `files`). */
export const EXAMPLE_STORIES = fileURLToPath(new URL('../../../examples/stories/', import.meta.url));

const CONFIG_TEMPLATE = `# StoryCore project settings (docs/configuration.md). Every key has a default.
# GPU workers running ComfyUI; or add them with: storycore workers add http://HOST:8188
workers: []
#  - name: gpu-1
#    url: http://127.0.0.1:8188
# Emulated workers used by --sim (an animatic made by the built-in emulator, no GPU).
sim:
  workers: 2
  profile: rtx4090
  timeScale: 0.05
`;

export function registerInit(program: Command, setup: CommandSetup): void {
  program
    .command('init')
    .description('create a project folder with a sample story.md, the story.yaml planned from it, and storycore.config.yaml')
    .argument('[dir]', 'the project folder (created if needed)', '.')
    .option('--json', 'print JSON')
    .action(async (dir: string, _options: unknown, command: Command) => {
      const ctx = setup.context(command);
      const root = resolve(ctx.io.cwd, dir);
      const files = { text: join(root, 'story.md'), story: join(root, 'story.yaml'), config: join(root, 'storycore.config.yaml'), gitignore: join(root, '.gitignore') };
      const taken = [files.story, files.config].filter((f) => existsSync(f));
      if (taken.length) throw new UsageError(`${taken.map((f) => displayPath(f, ctx.io.cwd)).join(' and ')} already exist${taken.length === 1 ? 's' : ''}`, 'choose an empty folder, e.g. storycore init my-film');
      ensureDirSync(root);
      const sample = readFileSync(join(EXAMPLE_STORIES, 'story.yaml'), 'utf8').replace(/^# yaml-language-server:.*\n/, '');
      // A full disk must not leave a truncated story.yaml that blocks the next `init`.
      const write = (file: string, text: string) =>
        writingToSync(file, () => {
          try {
            writeFileSync(file, text, { flag: 'wx' });
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(file, { force: true });
            throw error;
          }
        }, Buffer.byteLength(text));
      // Marked as written by StoryCore, so `plan story.md` may replace it until it is edited.
      const { markUnedited } = await import('../../story/format/unedited-marker.js');
      write(files.story, markUnedited(sample));
      // A story.md already there is the user's own text: keep it (plan turns it into story.yaml).
      if (!existsSync(files.text)) write(files.text, readFileSync(join(EXAMPLE_STORIES, 'the-lighthouse.md'), 'utf8'));
      write(files.config, CONFIG_TEMPLATE);
      if (!existsSync(files.gitignore)) write(files.gitignore, '.storycore/\nrenders/\nout/\n');
      if (ctx.json) return ctx.printJson({ dir: root, files: Object.values(files) });
      ctx.out(`created ${displayPath(root, ctx.io.cwd)}/ with story.md, story.yaml and storycore.config.yaml`);
      ctx.info(`next: cd ${displayPath(root, ctx.io.cwd)} && storycore plan story.md (after editing the text), then storycore generate --sim && storycore render`);
    });
}
