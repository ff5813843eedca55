import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryFromWorker, preflight, type WorkerInventory } from '../../src/catalog/preflight/index.js';
import { allTemplates, type AnyTemplate } from '../../src/catalog/templates/index.js';
import { ComfyClient } from '../../src/comfy/client/index.js';
import type { ApiGraph } from '../../src/comfy/graph.js';
import { missingRealComfyUI, startRealComfyUI, type RealComfyUI } from '../support/real-comfyui.js';

/**
 * Every catalogue template and variant, posted to real ComfyUI 0.3.64 with the kit's four node
 * packs, empty placeholder files for every model they name and their input files uploaded.
 * ComfyUI validates on POST /prompt exactly as a GPU server would (loading the weights would
 * fail, by design; queued jobs are deleted at once). Where 0.3.64 has every node class, it must
 * accept the graph; where it lacks one, preflight must say exactly which classes are missing
 * and that the worker's ComfyUI is older than them. Preflight's verdict must match ComfyUI's
 * on every graph.
 *
 * The placeholders go in this server's own folder (`--extra-model-paths-config`), never into
 * the shared install.
 */

interface Case {
  name: string;
  template: AnyTemplate;
  params: Record<string, unknown>;
  graph: ApiGraph;
}

function cases(): Case[] {
  const list: Case[] = [];
  for (const template of allTemplates()) {
    const defaults = template.parse({}) as Record<string, unknown>;
    list.push({ name: template.id, template, params: defaults, graph: template.build(defaults) });
    for (const variant of template.variants) {
      const params = template.variant(variant.id, {}) as Record<string, unknown>;
      list.push({ name: `${template.id}@${variant.id}`, template, params, graph: template.build(params) });
    }
  }
  return list;
}

interface Answer {
  status: number;
  body: { prompt_id?: string; error?: { type?: string; message?: string }; node_errors?: Record<string, unknown> };
}

const CASES = cases();
let server: RealComfyUI | undefined;
let client: ComfyClient;
let inventory: WorkerInventory;
let modelsDir: string;
const answers = new Map<string, Answer>();
const table: string[] = [];

async function post(graph: ApiGraph): Promise<Answer> {
  const res = await fetch(`${server!.url}/prompt`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ prompt: graph, client_id: 'storycore-templates-test' }),
  });
  const answer = { status: res.status, body: (await res.json()) as Answer['body'] };
  if (answer.body.prompt_id) {
    // Validation is what is tested: the job itself would only fail loading an empty weight file.
    await fetch(`${server!.url}/queue`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ delete: [answer.body.prompt_id] }) });
    await fetch(`${server!.url}/interrupt`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ prompt_id: answer.body.prompt_id }) });
  }
  return answer;
}

describe.skipIf(missingRealComfyUI('packs'))('every template and variant on real ComfyUI 0.3.64 with the four packs', () => {
  beforeAll(async () => {
    modelsDir = mkdtempSync(join(tmpdir(), 'storycore-realcomfy-models-'));
    const folders = new Set<string>();
    const images = new Set<string>();
    const videos = new Set<string>();
    for (const c of CASES) {
      const req = c.template.requirements(c.params);
      for (const m of req.models) {
        // RIFE checkpoints: the pack lists fixed names and downloads them at run time; no folder to fill.
        if (m.folder.includes('/')) continue;
        folders.add(m.folder);
        const file = join(modelsDir, m.folder, m.file);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, '');
      }
      req.inputs.images.forEach((n) => images.add(n));
      req.inputs.videos.forEach((n) => videos.add(n));
    }
    const yaml = join(modelsDir, 'extra_model_paths.yaml');
    writeFileSync(yaml, `storycore:\n  base_path: ${modelsDir}\n${[...folders].map((f) => `  ${f}: ${f}/`).join('\n')}\n`);
    server = await startRealComfyUI({ kind: 'packs', hashSeed: 0, extraArgs: ['--extra-model-paths-config', yaml] });
    client = new ComfyClient(server.url, { socket: false, getRetries: 0 });
    const png = await sharp({ create: { width: 64, height: 48, channels: 4, background: { r: 90, g: 140, b: 200, alpha: 1 } } }).png().toBuffer();
    for (const name of images) await client.uploadImage(png, { filename: name, overwrite: true });
    // LoadVideo and VHS_LoadVideo check only that the file exists when validating.
    for (const name of videos) await client.uploadImage(Buffer.from('not decoded during validation'), { filename: name, overwrite: true });
    inventory = await inventoryFromWorker(client);
    for (const c of CASES) answers.set(c.name, await post(c.graph));
  }, 600_000);

  afterAll(async () => {
    console.log(['template → real ComfyUI 0.3.64 | preflight', ...table].join('\n'));
    client?.close();
    await server?.stop();
    if (modelsDir) rmSync(modelsDir, { recursive: true, force: true });
  }, 60_000);

  it('covers every template and variant (49 graphs)', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(49);
    expect(answers.size).toBe(CASES.length);
  });

  for (const c of CASES) {
    it(c.name, () => {
      const answer = answers.get(c.name)!;
      const report = preflight(c.graph, inventory, { template: c.template, params: c.params });
      const absent = [...new Set(Object.values(c.graph).map((n) => n.class_type))].filter((cls) => !Object.hasOwn(inventory.objectInfo, cls)).sort();
      const rejected = answer.status === 200 ? 'valid' : `${answer.status} ${answer.body.error?.type}: ${answer.body.error?.message ?? ''} ${Object.keys(answer.body.node_errors ?? {}).join(',')}`;
      table.push(`${c.name} → ${rejected} | preflight ${report.ok ? 'ready' : report.problems.map((p) => `${p.kind}: ${p.message}`).join(' / ')}`);

      // Memory is preflight's own estimate (the test server's RAM), which POST /prompt never checks:
      // the verdict compared is everything else.
      const problems = report.problems.filter((p) => p.kind !== 'vram');
      // The verdict: preflight says "ready" exactly when ComfyUI accepts the graph.
      expect({ preflightReady: problems.length === 0, problems: problems.map((p) => `${p.kind}: ${p.message}`) }).toMatchObject({ preflightReady: answer.status === 200 });
      if (absent.length === 0 && answer.status === 200) {
        expect({ error: answer.body.error, node_errors: answer.body.node_errors }).toEqual({ error: undefined, node_errors: {} });
        expect(problems).toEqual([]);
        return;
      }
      if (absent.length === 0) {
        // 0.3.64 has every class but rejects an input value (a newer option): the same nodes as preflight.
        expect(answer.body.error?.type).toBe('prompt_outputs_failed_validation');
        const rejected = Object.keys(answer.body.node_errors ?? {}).sort();
        expect(problems.map((p) => p.kind)).toEqual(problems.map(() => 'validation'));
        expect([...new Set(problems.map((p) => p.nodeId))].sort()).toEqual(rejected);
        // Every class is there, so a rejected value must be one a newer version offers: the fix is an update.
        for (const p of problems) expect(p.fix).toMatch(/^update ComfyUI: /);
        return;
      }
      // ComfyUI stops at the first class it does not have; preflight names every one, exactly.
      expect(answer.status).toBe(400);
      expect(answer.body.error?.type).toBe('invalid_prompt');
      const named = /^Cannot execute because node (\S+) does not exist\.$/.exec(answer.body.error?.message ?? '')?.[1];
      expect(absent).toContain(named);
      const missing = problems.filter((p) => p.kind === 'missing_node');
      expect(missing.map((p) => p.classType).sort()).toEqual(absent);
      // Anything else preflight finds is ComfyUI's own validation, which real ComfyUI never reached.
      expect(problems.filter((p) => p.kind !== 'missing_node').map((p) => p.kind)).toEqual(problems.filter((p) => p.kind !== 'missing_node').map(() => 'validation'));
      for (const p of missing) {
        expect(p.pack, `${p.classType} has a known source`).toBeDefined();
        if (p.pack === 'core') expect(p.message).toMatch(new RegExp(`\\(${p.classType}\\): the worker's ComfyUI is older than this node \\(core, `));
        else expect(p.message).toMatch(/: not on the worker; it comes from the /);
      }
    });
  }
});
