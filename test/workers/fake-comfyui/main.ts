/**
 * A fake ComfyUI for the process-lifecycle tests: ComfyUI's command line (argparse-like,
 * modelled on a newer ComfyUI whose VRAM group no longer has --normalvram) in front of the
 * emulator. Environment switches:
 *   FAKE_COMFYUI_IGNORE_SIGINT=1  keep running on SIGINT (stop must escalate to SIGKILL)
 *   FAKE_COMFYUI_FAIL=1           crash at startup with a Python-like traceback
 *   FAKE_COMFYUI_HELP_LOG=<file>  append a line each time --help runs
 *   FAKE_COMFYUI_GPU=<profile>    emulated GPU (default rtx4090)
 */
import { appendFileSync } from 'node:fs';
import { startEmulator, type GpuProfileId } from '../../../src/sim/index.js';

// flag → how many values it takes ('?' optional one, '*' any number).
const FLAGS: Record<string, 0 | 1 | '?' | '*'> = {
  '-h': 0, '--help': 0, '--listen': '?', '--port': 1, '--tls-keyfile': 1, '--tls-certfile': 1, '--enable-cors-header': '?',
  '--max-upload-size': 1, '--base-directory': 1, '--extra-model-paths-config': '*', '--output-directory': 1,
  '--temp-directory': 1, '--input-directory': 1, '--auto-launch': 0, '--disable-auto-launch': 0, '--cuda-device': 1,
  '--default-device': 1, '--cuda-malloc': 0, '--disable-cuda-malloc': 0, '--force-fp32': 0, '--force-fp16': 0,
  '--fp32-unet': 0, '--bf16-unet': 0, '--fp16-unet': 0, '--fp16-vae': 0, '--fp32-vae': 0, '--bf16-vae': 0, '--cpu-vae': 0,
  '--directml': '?', '--preview-method': 1, '--preview-size': 1, '--cache-classic': 0, '--cache-lru': 1, '--cache-none': 0,
  '--cache-ram': '*', '--use-split-cross-attention': 0, '--use-quad-cross-attention': 0, '--use-pytorch-cross-attention': 0,
  '--use-sage-attention': 0, '--use-flash-attention': 0, '--disable-xformers': 0, '--gpu-only': 0, '--highvram': 0,
  '--lowvram': 0, '--novram': 0, '--cpu': 0, '--reserve-vram': 1, '--async-offload': '?', '--disable-smart-memory': 0,
  '--deterministic': 0, '--fast': '*', '--dont-print-server': 0, '--disable-metadata': 0, '--disable-all-custom-nodes': 0,
  '--multi-user': 0, '--verbose': '*', '--log-stdout': 0, '--front-end-version': 1, '--user-directory': 1, '--offline': 0,
};

function help(): string {
  const options = Object.entries(FLAGS)
    .filter(([flag]) => flag.startsWith('--') && flag !== '--help')
    .map(([flag, n]) => `  ${flag}${n === 1 ? ` ${flag.slice(2).toUpperCase().replace(/-/g, '_')}` : n === '?' ? ' [VALUE]' : n === '*' ? ' [VALUE ...]' : ''}`);
  return [
    'usage: main.py [-h] [--listen [IP]] [--port PORT] [--cuda-device DEVICE_ID] [--gpu-only | --highvram | --lowvram | --novram | --cpu] ...',
    '',
    'options:',
    '  -h, --help            show this help message and exit',
    ...options,
    '',
  ].join('\n');
}

function parse(argv: string[]): Map<string, string[]> {
  const args = argv[0] === 'main.py' ? argv.slice(1) : argv;
  const parsed = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const arity = FLAGS[flag];
    if (arity === undefined) {
      process.stderr.write(`usage: main.py [-h] ...\nmain.py: error: unrecognized arguments: ${flag}\n`);
      process.exit(2);
    }
    const values: string[] = [];
    const takesMore = (): boolean => i + 1 < args.length && !args[i + 1]!.startsWith('--');
    if (arity === 1) {
      if (!takesMore()) {
        process.stderr.write(`main.py: error: argument ${flag}: expected one argument\n`);
        process.exit(2);
      }
      values.push(args[++i]!);
    } else if (arity === '?') {
      if (takesMore()) values.push(args[++i]!);
    } else if (arity === '*') {
      while (takesMore()) values.push(args[++i]!);
    }
    parsed.set(flag, values);
  }
  return parsed;
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  if (args.has('--help') || args.has('-h')) {
    if (process.env.FAKE_COMFYUI_HELP_LOG) appendFileSync(process.env.FAKE_COMFYUI_HELP_LOG, 'help\n');
    process.stdout.write(help());
    return;
  }
  console.log(`[START] Security scan\n[DONE] Security scan\n** ComfyUI startup time: ${new Date().toISOString()}`);
  console.log(`** Launch args: ${process.argv.slice(2).join(' ')}`);
  if (process.env.PYTORCH_CUDA_ALLOC_CONF) console.log(`** PYTORCH_CUDA_ALLOC_CONF=${process.env.PYTORCH_CUDA_ALLOC_CONF}`);
  if (process.env.FAKE_COMFYUI_FAIL === '1') {
    process.stderr.write('Traceback (most recent call last):\n  File "main.py", line 147, in <module>\n    import comfy.utils\nRuntimeError: Found no NVIDIA driver on your system.\n');
    process.exit(1);
  }
  const running: { emulator?: Awaited<ReturnType<typeof startEmulator>> } = {};
  process.on('SIGINT', () => {
    if (process.env.FAKE_COMFYUI_IGNORE_SIGINT === '1') {
      console.log('got SIGINT, ignoring it');
      return;
    }
    console.log('\nStopped server');
    void (running.emulator?.close() ?? Promise.resolve()).finally(() => process.exit(0));
  });
  const profile: GpuProfileId = args.has('--cpu') ? 'cpu' : ((process.env.FAKE_COMFYUI_GPU as GpuProfileId | undefined) ?? 'rtx4090');
  const host = args.get('--listen')?.[0] ?? '127.0.0.1';
  const port = Number(args.get('--port')?.[0] ?? 8188);
  console.log(`Total VRAM 24564 MB, total RAM 128000 MB\npytorch version: 2.8.0+cu128\nSet vram state to: ${args.has('--cpu') ? 'DISABLED' : 'NORMAL_VRAM'}`);
  const emulator = await startEmulator({ host, port, profile, timeScale: 0 });
  running.emulator = emulator;
  console.log(`Starting server\n\nTo see the GUI go to: ${emulator.url}`);
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
