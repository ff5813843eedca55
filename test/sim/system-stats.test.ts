import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/sim/index.js';

/** What real ComfyUI 0.3.64 on CPU (`main.py --cpu`) answered, recorded in fixture 01. */
function recordedCpuStats(): { system: Record<string, unknown>; devices: Array<Record<string, unknown>> } {
  const t = JSON.parse(readFileSync(new URL('../fixtures/comfyui/01-introspection.json', import.meta.url), 'utf8')) as { events: Array<{ kind: string; request?: { path: string }; response?: { json: unknown } }> };
  const e = t.events.find((x) => x.kind === 'http' && x.request?.path === '/system_stats');
  return e!.response!.json as { system: Record<string, unknown>; devices: Array<Record<string, unknown>> };
}

async function stats(url: string) {
  return (await (await fetch(`${url}/system_stats`)).json()) as { system: Record<string, unknown> & { argv: string[] }; devices: Array<Record<string, unknown>> };
}

describe('/system_stats', () => {
  it('on the cpu profile looks like real ComfyUI started with --cpu', async () => {
    const real = recordedCpuStats();
    const emu = await startEmulator({ timeScale: 0, profile: 'cpu', comfyui: '0.3.64' });
    try {
      const got = await stats(emu.url);
      expect(Object.keys(got.system)).toEqual(Object.keys(real.system));
      expect(Object.keys(got.devices[0]!)).toEqual(Object.keys(real.devices[0]!));
      expect(got.system.argv.slice(0, 2)).toEqual(['main.py', '--cpu']);
      expect((real.system.argv as string[]).slice(0, 2)).toEqual(['main.py', '--cpu']);
      // Real --cpu: one device "cpu" without index, whose VRAM and torch figures are all system RAM.
      for (const s of [real, got]) {
        const d = s.devices[0]!;
        expect(s.devices).toHaveLength(1);
        expect([d.name, d.type, d.index]).toEqual(['cpu', 'cpu', null]);
        expect([d.vram_total, d.torch_vram_total]).toEqual([s.system.ram_total, s.system.ram_total]);
        expect([d.vram_free, d.torch_vram_free]).toEqual([s.system.ram_free, s.system.ram_free]);
      }
    } finally {
      await emu.close();
    }
  });

  it('a GPU profile says nothing of --cpu and keeps torch figures apart from VRAM', async () => {
    const emu = await startEmulator({ timeScale: 0, profile: 'rtx4090' });
    try {
      const got = await stats(emu.url);
      expect(got.system.argv).not.toContain('--cpu');
      expect(got.devices).toHaveLength(1);
      expect(got.devices[0]).toMatchObject({ type: 'cuda', index: 0, torch_vram_total: 0 });
    } finally {
      await emu.close();
    }
  });

  it('current ComfyUI lists every GPU of a multi-GPU worker, the primary first', async () => {
    const emu = await startEmulator({ timeScale: 0, profile: 'h100', gpus: 3 });
    const old = await startEmulator({ timeScale: 0, profile: 'h100', gpus: 3, comfyui: '0.3.64' });
    try {
      const got = await stats(emu.url);
      expect(got.devices.map((d) => [d.name, d.index])).toEqual([
        ['cuda:0 NVIDIA H100 80GB HBM3 : cudaMallocAsync', 0],
        ['cuda:1 NVIDIA H100 80GB HBM3 : cudaMallocAsync', 1],
        ['cuda:2 NVIDIA H100 80GB HBM3 : cudaMallocAsync', 2],
      ]);
      expect((await stats(old.url)).devices).toHaveLength(1);
    } finally {
      await emu.close();
      await old.close();
    }
  });
});
