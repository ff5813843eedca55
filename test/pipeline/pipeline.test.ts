import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AssetStore, assetManifestSchema } from '../../src/assets/index.js';
import { defaultConfig } from '../../src/config/index.js';
import { ProjectState } from '../../src/engine.js';
import { renderStory, type RenderReport } from '../../src/engine/render-story.js';
import { probeVideo } from '../../src/platform/ffmpeg.js';
import { cli } from '../cli/support/run-cli.js';
import { demoProject, generateOnSim, type SimRun } from './support/project.js';

/** The demo story end to end on emulators, then edited, re-run unchanged and forced. */
describe('story pipeline on emulated workers', () => {
  const project = demoProject();
  let first: SimRun;
  let render: RenderReport;

  beforeAll(async () => {
    first = await generateOnSim(project.story);
    const state = await ProjectState.open(defaultConfig(), project.dir);
    try {
      render = await renderStory(state.store, first.plan, { outDir: join(project.dir, 'out') });
    } finally {
      await state.close();
    }
  }, 120_000);

  it('runs a keyframe and a clip per shot, each submitted once', () => {
    expect(first.report.tasks).toHaveLength(16);
    expect(first.report.ran).toBe(16);
    expect(first.submissions).toBe(16);
    expect(existsSync(join(project.dir, 'renders/shot-003/keyframe.png'))).toBe(true);
    expect(existsSync(join(project.dir, 'renders/shot-003/clip.mp4'))).toBe(true);
    expect(existsSync(join(project.dir, 'renders/shot-003/clip.json'))).toBe(true);
  });

  it('records every attempt where `storycore metrics` reads them', async () => {
    const run = await cli(['metrics', '--json'], { cwd: project.dir });
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { attempts?: number; outcomes?: Record<string, number> };
    expect(JSON.stringify(summary)).toContain('"completed":16');
  });

  it('renders a playable final cut as long as the shots minus the crossfade overlaps', async () => {
    const probe = await probeVideo(render.finalPath);
    const shots = first.plan.story.scenes.flatMap((s) => s.shots);
    const overlaps = shots.slice(0, -1).reduce((sum, s) => sum + (typeof s.transition === 'object' ? s.transition.crossfade.seconds : 0), 0);
    const expected = shots.reduce((sum, s) => sum + s.duration, 0) - overlaps;
    expect(probe.width).toBe(512);
    expect(probe.height).toBe(288);
    expect(Math.abs(probe.frames / probe.fps - expected)).toBeLessThanOrEqual(1 / 12 + 1e-9);
    expect(existsSync(render.contactSheet)).toBe(true);
    expect(render.previews).toHaveLength(8);
    expect(render.manifests).toBe(16);
    const provenance = JSON.parse(readFileSync(render.provenance, 'utf8')) as { assets: unknown[]; commercialUse: boolean | null };
    expect(provenance.assets).toHaveLength(16);
    expect(provenance.commercialUse).toBe(false);
    expect(readFileSync(render.attribution, 'utf8')).toContain('svd_xt.safetensors');
  });

  it('traces every asset to its template, graph, seeds, models with licences and worker', async () => {
    const store = await AssetStore.open(project.dir);
    try {
      for (const task of store.tasks()) {
        for (const output of task.outputs) {
          const manifest = assetManifestSchema.parse(await store.readManifest(output.sha256));
          expect(manifest.taskHash).toBe(task.taskHash);
          expect(['sdxl-turbo-t2i', 'svd-i2v']).toContain(manifest.template.id);
          expect(manifest.template.version).toMatch(/^\d+\.\d+\.\d+$/);
          expect(Object.keys(manifest.graph).length).toBeGreaterThan(3);
          expect(manifest.seeds['params.seed']).toBe(manifest.params.seed);
          expect(manifest.models.length).toBeGreaterThan(0);
          for (const model of manifest.models) expect(model.licence.name).not.toBe('unknown');
          expect(manifest.worker.name).toMatch(/^sim-[12]$/);
          expect(manifest.worker.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
          if (manifest.template.id === 'svd-i2v') expect(manifest.inputs.map((i) => i.role)).toEqual(['start_image']);
        }
      }
    } finally {
      await store.close();
    }
  });

  it('submits nothing when the story is unchanged', async () => {
    const again = await generateOnSim(project.story);
    expect(again.submissions).toBe(0);
    expect(again.report.cached).toBe(16);
    expect(again.report.queued).toBe(0);
  });

  it('generate needs no worker when every task is stored; one that must run names the missing worker', async () => {
    // No --sim and no worker configured: a fully stored story still completes.
    const stored = await cli(['generate', project.story, '--json'], { cwd: project.dir });
    expect(stored.stderr).not.toMatch(/^error:/m);
    expect(stored.code).toBe(0);
    const report = JSON.parse(stored.stdout) as { cached: number; ran: number; queued: number };
    expect(report).toMatchObject({ cached: 16, ran: 0, queued: 0 });
    const forced = await cli(['generate', project.story, '--force', 'shot-002'], { cwd: project.dir });
    expect(forced.code).not.toBe(0);
    expect(forced.stderr.split('\n').filter((l) => l.startsWith('error:'))).toEqual([expect.stringContaining('no ComfyUI worker is configured')]);
    const state = await ProjectState.open(defaultConfig(), project.dir);
    try {
      expect(await state.queue.list({ state: ['waiting', 'ready', 'leased'] })).toEqual([]);
    } finally {
      await state.close();
    }
  });

  it('runs only the edited shot again, then --force runs one shot', async () => {
    // The action and the prompt the planner derived from it.
    const yaml = readFileSync(project.story, 'utf8');
    writeFileSync(project.story, yaml.replaceAll('fights the wheel.', 'fights the wheel as lightning strikes.'));
    const edited = await generateOnSim(project.story);
    expect(edited.ranKeys).toEqual(['shot-004/clip', 'shot-004/keyframe']);
    expect(edited.submissions).toBe(2);
    expect(edited.report.cached).toBe(14);

    const forced = await generateOnSim(project.story, { force: new Set(['shot-002']) });
    expect(forced.ranKeys).toEqual(['shot-002/clip', 'shot-002/keyframe']);
    expect(forced.submissions).toBe(2);
  });
});
