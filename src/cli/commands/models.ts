import type { Command } from 'commander';
import { clientOptions } from '../client-options.js';
import type { CommandSetup } from '../command-setup.js';
import { UsageError } from '../errors/usage-error.js';
import { positiveUpTo } from '../option-parsers.js';
import { resolveWorker } from '../worker-target.js';
import { addSetOption, asUsage, configWithoutSettings, settingsOf } from './templates.js';

export function registerModels(program: Command, setup: CommandSetup): void {
  const models = program.command('models').description('the model catalogue: files, precisions, download plans, what a worker lacks');

  models
    .command('list')
    .description('list the catalogue models with their precision variants')
    .option('--family <name>', 'only this family (wan22, qwen-image, sdxl…)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ storycore models list --family wan22\n  $ storycore models list --json')
    .action(async (options: { family?: string }, command: Command) => {
      const ctx = setup.context(command);
      const { allModels, FAMILIES } = await import('../../catalog/models/index.js');
      const { formatBytes } = await import('../../catalog/preflight/index.js');
      if (options.family && !(FAMILIES as readonly string[]).includes(options.family)) {
        throw new UsageError(`unknown model family '${options.family}'`, `use one of ${FAMILIES.join(', ')}`);
      }
      const list = allModels().filter((m) => !options.family || m.family === options.family);
      if (ctx.json) return ctx.printJson(list);
      for (const m of list) {
        ctx.out(`${m.id}  ${m.family}  ${m.role}${m.parameters ? `  ${m.parameters}` : ''}  ${m.licence.commercialUse ? '' : '(non-commercial) '}${m.name}`);
        for (const v of m.variants) {
          ctx.out(`    ${v.precision.padEnd(10)} ${v.folder}/${v.file}  ${v.sizeEstimated ? '≈' : ''}${formatBytes(v.sizeBytes)}  VRAM ${formatBytes(v.vramBytes)}`);
        }
      }
      ctx.info(`${list.length} model(s)`);
    });

  addSetOption(
    models
      .command('plan')
      .description('choose a precision per model for a GPU and list the files to download')
      .argument('<template-id>', 'template id (see templates list)'),
  )
    .option('--vram <GB>', 'VRAM of the GPU in GB (decimal); without it the template defaults are kept', positiveUpTo(4096, ' GB'))
    .option('--variant <id>', 'apply a named variant of the template first')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ storycore models plan wan22-i2v-14b --vram 24\n  $ storycore models plan qwen-image-layered --vram 48 --json')
    .action(async (id: string, options: { vram?: number; variant?: string }, command: Command) => {
      const ctx = setup.context(command);
      const { templateById } = await import('../../catalog/templates/index.js');
      const { planTemplateModels, renderModelPlan } = await import('../../catalog/preflight/index.js');
      const { GB } = await import('../../catalog/models/index.js');
      const settings = settingsOf(command);
      const plan = await asUsage(() => {
        const template = templateById(id);
        const params = options.variant ? { ...variantParams(template.variants, options.variant, id), ...settings } : settings;
        return planTemplateModels(template, { params, ...(options.vram !== undefined ? { vramBytes: Math.round(options.vram * GB) } : {}) });
      });
      if (ctx.json) return ctx.printJson(plan);
      for (const line of renderModelPlan(plan)) ctx.out(line);
    });

  models
    .command('check')
    .description("preflight every template against a worker: which run, and what each one lacks")
    .requiredOption('-w, --worker <url|name>', 'ComfyUI worker URL, or the name of a worker in the config')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ storycore models check --worker http://127.0.0.1:8188')
    .action(async (options: { worker: string }, command: Command) => {
      const ctx = setup.context(command);
      const { config } = configWithoutSettings(ctx);
      const endpoint = resolveWorker(options.worker, config);
      ctx.target = endpoint.url;
      const { ComfyClient } = await import('../../comfy/client/index.js');
      const { inventoryFromWorker, preflightTemplates, formatBytes } = await import('../../catalog/preflight/index.js');
      const client = new ComfyClient(endpoint, { ...clientOptions(ctx, config), socket: false, getRetries: 0 });
      let readiness;
      let inventory;
      try {
        inventory = await inventoryFromWorker(client);
        readiness = preflightTemplates(inventory);
      } finally {
        await client.close();
      }
      if (ctx.json) {
        return ctx.printJson({
          worker: { name: inventory.name, url: inventory.url, gpuName: inventory.gpuName, vramBytes: inventory.vramBytes },
          templates: readiness.map(({ report, ...rest }) => ({ ...rest, toInstall: report.toInstall })),
        });
      }
      ctx.out(`worker ${inventory.url}${inventory.gpuName ? ` (${inventory.gpuName}, ${formatBytes(inventory.vramBytes ?? 0)})` : ''}`);
      for (const r of readiness) {
        if (r.runs) {
          ctx.out(`  ${r.template}: runs`);
          continue;
        }
        const lacks = [
          ...r.missing.nodePacks.map((p) => `pack ${p}`),
          ...r.missing.models,
          ...r.problems.filter((p) => p.kind !== 'missing_node' && p.kind !== 'missing_model').map((p) => `${p.kind}: ${p.message}`),
        ];
        const download = r.report.toInstall.totalBytes > 0 ? ` (download ${formatBytes(r.report.toInstall.totalBytes)})` : '';
        ctx.out(`  ${r.template}: lacks ${lacks.join('; ')}${download}`);
      }
      const runs = readiness.filter((r) => r.runs).length;
      ctx.info(`${runs} of ${readiness.length} templates run as they are; storycore preflight <id> --worker ${options.worker} for the fixes`);
    });
}

function variantParams(variants: readonly { id: string; params: Record<string, unknown> }[], id: string, template: string): Record<string, unknown> {
  const found = variants.find((v) => v.id === id);
  if (!found) throw new UsageError(`${template} has no variant "${id}"`, variants.length ? `its variants are ${variants.map((v) => v.id).join(', ')}` : 'it has no variants');
  return found.params;
}
