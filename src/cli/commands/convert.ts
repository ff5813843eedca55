import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandSetup } from '../command-setup.js';
import { displayPath } from '../display-path.js';
import { UsageError } from '../errors/usage-error.js';
import { asUsage } from './templates.js';

export function registerConvert(program: Command, setup: CommandSetup): void {
  program
    .command('convert')
    .description('convert an editor (UI-format) workflow to the API format a worker runs')
    .argument('<workflow.json>', 'workflow saved from the ComfyUI editor (API prompts pass through unchanged)')
    .option('--object-info <file>', "node definitions saved from your worker's /object_info (default: bundled 0.3.64 + known packs)")
    .option('-o, --out <file>', 'write the API prompt here instead of stdout')
    .option('--lenient', 'convert a link from a node that is not in the workflow to an unconnected input (warned) instead of failing')
    .option('--json', 'print JSON: {format, warnings, prompt} (or {format, warnings, out} with --out)')
    .addHelpText(
      'after',
      `
Examples:
  $ storycore convert workflow.json > api.json
  $ storycore convert workflow.json --object-info oi.json --out api.json
      # oi.json: curl http://<worker>:8188/api/object_info > oi.json`,
    )
    .action(async (file: string, options: { objectInfo?: string; out?: string; lenient?: boolean }, command: Command) => {
      const ctx = setup.context(command);
      const { convertWorkflowFile } = await import('../../comfy/ui-format/index.js');
      const path = resolve(ctx.io.cwd, file);
      const result = await asUsage(() => {
        try {
          return convertWorkflowFile(path, { ...(options.objectInfo ? { objectInfoPath: ctx.path(options.objectInfo, '--object-info', { mustExist: true }) } : {}), lenient: options.lenient ?? false });
        } catch (err) {
          // convertWorkflowFile reports a missing file as unreadable JSON; say which it is.
          if ((err as { cause?: NodeJS.ErrnoException }).cause?.code === 'ENOENT') throw new UsageError(`${file} does not exist`, 'check the path');
          throw err;
        }
      });
      const text = `${JSON.stringify(result.prompt, null, 2)}\n`;
      let out: string | undefined;
      if (options.out) {
        out = ctx.path(options.out, '--out');
        await writeFile(out, text, 'utf8');
      }
      if (ctx.json) {
        ctx.printJson({ format: result.format, warnings: result.warnings, ...(out ? { out } : { prompt: result.prompt }) });
        return;
      }
      if (!out) ctx.io.stdout.write(text);
      for (const warning of result.warnings) ctx.info(`warning: ${warning}`);
      const nodes = Object.keys(result.prompt).length;
      ctx.info(result.format === 'api' ? `${file} is already an API prompt (${nodes} nodes)` : `converted ${file}: ${nodes} nodes${out ? ` → ${displayPath(out, ctx.io.cwd)}` : ''}`);
    });
}
