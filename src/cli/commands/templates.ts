import { InputLimitError } from '../../platform/errors/input-limit-error.js';
import { readBoundedText } from '../../platform/bounded-file.js';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ApiGraph } from '../../comfy/graph.js';
import { isStoryCoreError } from '../../errors/storycore-error.js';
import type { CommandSetup } from '../command-setup.js';
import { CliContext } from '../context.js';
import { displayPath } from '../display-path.js';
import { UsageError } from '../errors/usage-error.js';

/** Catalogue errors that mean "fix the command line or the file" rather than "a bug". */
const INPUT_ERROR_PREFIXES = ['TEMPLATE_', 'USER_TEMPLATE_', 'WORKFLOW_', 'MODEL_'];

/** Runs `fn`, turning catalogue input errors into usage errors (exit 2) with the same message and hint. */
export async function asUsage<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isStoryCoreError(err) && INPUT_ERROR_PREFIXES.some((p) => err.code.startsWith(p))) {
      throw new UsageError(err.message, err.hint ?? 'see storycore --help');
    }
    throw err;
  }
}

/** `--set k=v` values; a value is JSON when it parses (`1280`, `true`, `[1,2]`), else the text itself. */
export function parseSettings(values: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of values) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set ${item}: expected name=value`, 'e.g. --set width=1280 --set prompt="a cat"');
    const raw = item.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Plain text: prompts, file names.
    }
    out[item.slice(0, eq)] = value;
  }
  return out;
}

/**
 * The `--set` values of a catalogue command: each is a template parameter (config keys are set
 * with the global `--config-set`). The template refuses a name it does not have.
 */
export function settingsOf(command: Command): Record<string, unknown> {
  const local = (command.opts() as { set?: string[] }).set ?? [];
  const global = (command.optsWithGlobals() as { set?: string[] }).set ?? [];
  return parseSettings([...new Set([...global, ...local])]);
}

/** The config without the `--set` values (which are template parameters in these commands). */
export function configWithoutSettings(ctx: CliContext) {
  return new CliContext(ctx.io, { ...ctx.options, set: [] }).loadConfig();
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function addSetOption(command: Command): Command {
  return command.option('--set <name=value>', 'set a template parameter, value parsed as JSON when it can be (repeatable)', collect, []);
}

export function registerTemplates(program: Command, setup: CommandSetup): void {
  const templates = program.command('templates').description('the workflow templates: list, inspect, build, import your own');

  templates
    .command('list')
    .description('list the catalogue templates')
    .option('--capability <name>', 'only templates with this capability (text_to_video, image_to_video, text_to_image…)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ storycore templates list\n  $ storycore templates list --capability image_to_video --json')
    .action(async (options: { capability?: string }, command: Command) => {
      const ctx = setup.context(command);
      const { allTemplates, CAPABILITIES, templatesWith } = await import('../../catalog/templates/index.js');
      if (options.capability && !(CAPABILITIES as readonly string[]).includes(options.capability)) {
        throw new UsageError(`unknown capability '${options.capability}'`, `use one of ${CAPABILITIES.join(', ')}`);
      }
      const list = options.capability ? templatesWith(options.capability as never) : allTemplates();
      const rows = list.map((t) => ({
        id: t.id,
        title: t.title,
        family: t.family,
        capabilities: [...t.capabilities],
        output: t.output({}).kind,
        scores: t.scores,
        variants: t.variants.map((v) => v.id),
      }));
      if (ctx.json) return ctx.printJson(rows);
      const width = Math.max(...rows.map((r) => r.id.length), 2);
      for (const r of rows) ctx.out(`${r.id.padEnd(width)}  ${r.output.padEnd(6)}  ${r.capabilities.join(',')}  ${r.title}`);
      ctx.info(`${rows.length} template(s); storycore templates show <id> for parameters and requirements`);
    });

  templates
    .command('show')
    .description('show a template: parameters (types, defaults), requirements, estimates, variants')
    .argument('<id>', 'template id (see templates list)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ storycore templates show wan22-i2v-14b\n  $ storycore templates show sd15-t2i --json')
    .action(async (id: string, _options, command: Command) => {
      const ctx = setup.context(command);
      const { templateById } = await import('../../catalog/templates/index.js');
      const { templateParams, formatBytes } = await import('../../catalog/preflight/index.js');
      const template = await asUsage(() => templateById(id));
      const requirements = template.requirements({});
      const { downloadOf } = await import('../../catalog/preflight/model-check.js');
      const models = requirements.models.map((m) => downloadOf(m.folder, m.file));
      const estimates = template.estimate({});
      const detail = {
        id: template.id,
        version: template.version,
        title: template.title,
        description: template.description,
        family: template.family,
        capabilities: [...template.capabilities],
        output: template.output({}),
        params: templateParams(template),
        requirements: { nodes: requirements.nodes, models, inputs: requirements.inputs },
        estimates,
        variants: template.variants,
      };
      if (ctx.json) return ctx.printJson(detail);
      ctx.out(`${template.id} ${template.version}: ${template.title}`);
      ctx.out(`  ${template.description}`);
      ctx.out(`  output: ${JSON.stringify(detail.output)}`);
      ctx.out('  params:');
      for (const p of detail.params) {
        const range = p.enum ? ` one of ${p.enum.map((v) => JSON.stringify(v)).join('|')}` : p.minimum !== undefined || p.maximum !== undefined ? ` ${p.minimum ?? ''}…${p.maximum ?? ''}` : '';
        const def = p.default !== undefined ? ` = ${truncate(JSON.stringify(p.default))}` : p.optional ? ' (optional)' : '';
        ctx.out(`    ${p.name}: ${p.type}${range}${def}`);
      }
      ctx.out('  nodes:');
      for (const n of requirements.nodes) ctx.out(`    ${n.classType}${n.pack === 'core' ? '' : `  [${n.pack}${n.repository ? ` ${n.repository}` : ''}]`}`);
      ctx.out('  models:');
      for (const m of models) ctx.out(`    ${m.folder}/${m.file}  ${m.sizeBytes !== undefined ? formatBytes(m.sizeBytes) : 'size unknown'}`);
      const uploads = [...requirements.inputs.images, ...requirements.inputs.videos];
      if (uploads.length) ctx.out(`  input files: ${uploads.join(', ')}`);
      ctx.out(`  estimates: VRAM ${Object.entries(estimates.vramGb).map(([k, v]) => `${v} GB at ${k}`).join(', ')}; ${estimates.steps} steps, ${estimates.secondsPerStep.rtx4090} s/step on an RTX 4090`);
      if (template.variants.length) {
        ctx.out('  variants:');
        for (const v of template.variants) ctx.out(`    ${v.id} (${v.kind}): ${v.description}`);
      }
    });

  addSetOption(
    templates
      .command('build')
      .description('print the API-format graph of a template with parameters set')
      .argument('<id>', 'template id (see templates list)'),
  )
    .option('--variant <id>', 'apply a named variant of the template (see templates show)')
    .option('-o, --out <file>', 'write the graph to this file instead of stdout')
    .option('--json', 'print JSON (the graph is JSON either way)')
    .addHelpText('after', '\nExamples:\n  $ storycore templates build sd15-t2i --set seed=7 --set prompt="a lighthouse at dusk"\n  $ storycore templates build wan22-i2v-14b --variant lightning --out graph.json')
    .action(async (id: string, options: { variant?: string; out?: string }, command: Command) => {
      const ctx = setup.context(command);
      const { templateById } = await import('../../catalog/templates/index.js');
      const params = settingsOf(command);
      const graph = await asUsage(() => {
        const template = templateById(id);
        return template.build(options.variant ? template.variant(options.variant, params) : params) as ApiGraph;
      });
      const text = `${JSON.stringify(graph, null, 2)}\n`;
      if (options.out) {
        const { writeFile } = await import('node:fs/promises');
        const path = ctx.path(options.out, '--out');
        await writeFile(path, text, 'utf8');
        if (ctx.json) ctx.printJson({ template: id, out: path, nodes: Object.keys(graph).length });
        else ctx.info(`wrote ${displayPath(path, ctx.io.cwd)} (${Object.keys(graph).length} nodes)`);
        return;
      }
      ctx.io.stdout.write(text);
    });

  templates
    .command('import')
    .description('store your own workflow (API or editor format) as a template with named parameters')
    .argument('<file>', 'workflow JSON saved from ComfyUI')
    .requiredOption('--name <name>', 'template name (letters, digits, . _ -)')
    .option('--param <name=path>', 'a parameter: name=<node id>.inputs.<input> (repeatable)', collect, [])
    .option('--project <dir>', 'project directory (templates go to <dir>/.storycore/templates)', '.')
    .option('--object-info <file>', "node definitions saved from your worker's /object_info (default: bundled)")
    .option('--lenient', 'editor workflows: convert a link from a node that is not in the workflow to an unconnected input instead of failing')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  $ storycore templates import portrait.json --name portrait --param prompt=6.inputs.text --param seed=3.inputs.seed')
    .action(async (file: string, options: { name: string; param: string[]; project: string; objectInfo?: string; lenient?: boolean }, command: Command) => {
      const ctx = setup.context(command);
      const { importUserTemplate, saveUserTemplate } = await import('../../catalog/user-templates/index.js');
      const { extendedObjectInfo } = await import('../../comfy/object-info/extra-nodes.js');
      const { loadObjectInfoFile } = await import('../../comfy/object-info/load.js');
      const params: Record<string, string> = {};
      for (const item of options.param) {
        const eq = item.indexOf('=');
        if (eq <= 0) throw new UsageError(`--param ${item}: expected name=<node id>.inputs.<input>`, 'e.g. --param prompt=6.inputs.text');
        params[item.slice(0, eq)] = item.slice(eq + 1);
      }
      ctx.path(file, 'templates import <file>', { mustExist: true });
      const json = readJsonFile(file, ctx.io.cwd);
      const objectInfo = options.objectInfo ? loadObjectInfoFile(ctx.path(options.objectInfo, '--object-info', { mustExist: true })) : extendedObjectInfo();
      const template = await asUsage(() => importUserTemplate(json, { name: options.name, params, objectInfo, lenient: options.lenient ?? false }));
      const path = await asUsage(() => saveUserTemplate(ctx.path(options.project, '--project'), template));
      if (ctx.json) return ctx.printJson({ id: template.id, path, format: template.source.format, params: template.params, requirements: template.requirements, warnings: template.source.warnings });
      ctx.out(`${template.id} → ${displayPath(path, ctx.io.cwd)}`);
      for (const [name, p] of Object.entries(template.params)) ctx.out(`  ${name}: ${p.type} at ${p.path} = ${truncate(JSON.stringify(p.default))}`);
      for (const warning of template.source.warnings) ctx.info(`warning: ${warning}`);
    });
}

/** Reads a JSON file given on the command line, with one usage error per way it can fail. */
export function readJsonFile(file: string, cwd: string): unknown {
  let text: string;
  try {
    text = readBoundedText(resolve(cwd, file), file);
  } catch (cause) {
    if (cause instanceof InputLimitError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file}: ${code ?? (cause as Error).message}`, 'check the path');
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new UsageError(`${file} is not valid JSON: ${(cause as Error).message.split('\n')[0]}`, 'save the workflow again from ComfyUI');
  }
}

function truncate(text: string | undefined, max = 60): string {
  if (text === undefined) return '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
