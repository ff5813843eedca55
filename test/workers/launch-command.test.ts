import { describe, expect, it } from 'vitest';
import { buildLaunchCommand } from '../../src/workers/comfyui/launch-command.js';
import { LAUNCH_PROFILE_IDS, LAUNCH_PROFILES } from '../../src/workers/comfyui/profiles.js';
import { parseHelpFlags } from '../../src/workers/comfyui/supported-flags.js';

// Abridged `python main.py --help` of ComfyUI 0.3.64 (argparse layout).
const HELP_0_3_64 = `usage: main.py [-h] [--listen [IP]] [--port PORT] [--tls-keyfile TLS_KEYFILE]
               [--cuda-device DEVICE_ID] [--gpu-only | --highvram | --normalvram | --lowvram | --novram | --cpu]
               [--reserve-vram RESERVE_VRAM] [--fast [FAST ...]] [--disable-auto-launch]

options:
  -h, --help            show this help message and exit
  --listen [IP]         Specify the IP address to listen on (default: 127.0.0.1).
  --port PORT           Set the listen port.
  --cuda-device DEVICE_ID
                        Set the id of the cuda device this instance will use.
  --disable-cuda-malloc
                        Disable cudaMallocAsync.
  --use-pytorch-cross-attention
                        Use the new pytorch 2.0 cross attention function.
  --use-sage-attention  Use sage attention.
  --disable-auto-launch
                        Disable auto launching the browser.
`;
const HELP_NEWER = HELP_0_3_64.replace(' | --normalvram', '').replace('--use-sage-attention  Use sage attention.\n', '');

describe('ComfyUI command line', () => {
  it('reads every flag from an argparse help text', () => {
    const flags = parseHelpFlags(HELP_0_3_64);
    for (const flag of ['--listen', '--port', '--normalvram', '--gpu-only', '--reserve-vram', '--fast', '--disable-cuda-malloc', '--help']) {
      expect(flags.has(flag), flag).toBe(true);
    }
    expect(parseHelpFlags(HELP_NEWER).has('--normalvram')).toBe(false);
  });

  it('builds one process per GPU: port base+N, --cuda-device N, loopback, no browser', () => {
    const launch = buildLaunchCommand({ python: '/venv/bin/python', comfyDir: '/opt/ComfyUI', profile: 'rtx3090', gpu: 2, port: 8190 });
    expect(launch.command).toBe('/venv/bin/python');
    expect(launch.cwd).toBe('/opt/ComfyUI');
    expect(launch.args).toEqual([
      'main.py', '--listen', '127.0.0.1', '--port', '8190', '--disable-auto-launch', '--cuda-device', '2',
      '--normalvram', '--use-pytorch-cross-attention', '--reserve-vram', '1',
    ]);
    expect(launch.dropped).toEqual([]);
  });

  it('drops flags (and their values) that this ComfyUI does not list in --help', () => {
    const supported = parseHelpFlags(HELP_NEWER);
    const launch = buildLaunchCommand({ python: 'python3', comfyDir: '/c', profile: 'rtx4090', gpu: 0, port: 8188, supported });
    expect(launch.dropped.map((f) => f.flag)).toEqual(['--normalvram', '--use-sage-attention']);
    expect(launch.args).not.toContain('--normalvram');
    expect(launch.args).toEqual(expect.arrayContaining(['--fast', 'fp16_accumulation', 'fp8_matrix_mult', '--reserve-vram', '1']));
    const old = buildLaunchCommand({ python: 'python3', comfyDir: '/c', profile: 'rtx4090', gpu: 0, port: 8188, supported: parseHelpFlags(HELP_0_3_64) });
    expect(old.args).toContain('--normalvram');
    expect(old.dropped).toEqual([]);
  });

  it('never drops --listen/--port even when the help text misses them', () => {
    const launch = buildLaunchCommand({ python: 'p', comfyDir: '/c', profile: 'default', gpu: 0, port: 9000, supported: new Set(['--cpu']) });
    expect(launch.args).toEqual(['main.py', '--listen', '127.0.0.1', '--port', '9000']);
    expect(launch.dropped.map((f) => f.flag)).toEqual(['--disable-auto-launch', '--cuda-device']);
  });

  it('the cpu profile passes --cpu and no --cuda-device; data-centre profiles set the allocator env', () => {
    const cpu = buildLaunchCommand({ python: 'p', comfyDir: '/c', profile: 'cpu', gpu: 0, port: 8188 });
    expect(cpu.args).toContain('--cpu');
    expect(cpu.args).not.toContain('--cuda-device');
    const h100 = buildLaunchCommand({ python: 'p', comfyDir: '/c', profile: 'h100', gpu: 1, port: 8189 });
    expect(h100.env).toEqual({ PYTORCH_CUDA_ALLOC_CONF: 'expandable_segments:True' });
    expect(h100.args).toEqual(expect.arrayContaining(['--gpu-only', '--disable-cuda-malloc']));
  });

  it('every profile flag has a reason, and each profile picks at most one VRAM mode and one attention', () => {
    const vram = new Set(['--gpu-only', '--highvram', '--normalvram', '--lowvram', '--novram', '--cpu']);
    const attention = new Set(['--use-split-cross-attention', '--use-quad-cross-attention', '--use-pytorch-cross-attention', '--use-sage-attention', '--use-flash-attention']);
    for (const id of LAUNCH_PROFILE_IDS) {
      const profile = LAUNCH_PROFILES[id];
      for (const item of [...profile.flags, ...profile.env]) expect(item.reason.length, `${id}`).toBeGreaterThan(20);
      expect(profile.flags.filter((f) => vram.has(f.flag)).length, id).toBeLessThanOrEqual(1);
      expect(profile.flags.filter((f) => attention.has(f.flag)).length, id).toBeLessThanOrEqual(1);
    }
  });
});
