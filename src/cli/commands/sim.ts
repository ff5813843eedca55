import type { Command } from 'commander';
import { COMFY_PROTOCOLS, isComfyProtocol, type ComfyProtocol } from '../../comfy/comfyui-version.js';
import type { Emulator } from '../../sim/index.js';
import type { CommandSetup } from '../command-setup.js';
import { flagIf } from '../context.js';
import { SimOptionsError } from '../errors/sim-options-error.js';
import { integerIn, port, positiveUpTo } from '../option-parsers.js';
import { parseGpuProfile, readFaultsFile, readModelsFile, readObjectInfoFile } from '../sim-files.js';

interface SimOptions {
  host: string;
  port: number;
  workers?: number;
  profile?: string;
  timeScale?: number;
  objectInfo?: string;
  models?: string;
  faults?: string;
  comfyui?: string;
}

/** `--comfyui`: which ComfyUI protocol the emulated workers speak. */
function parseComfyui(value: string | undefined): ComfyProtocol | undefined {
  if (value === undefined) return undefined;
  if (isComfyProtocol(value)) return value;
  throw new SimOptionsError(`--comfyui "${value}" is not a ComfyUI version the emulator serves`, `use --comfyui ${COMFY_PROTOCOLS.join(' or --comfyui ')}`);
}

export function registerSim(program: Command, setup: CommandSetup): void {
  program
    .command('sim')
    .description('start emulated ComfyUI workers (no GPU needed) until Ctrl-C')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('-p, --port <port>', 'port of the first worker; the others use the next ports', port, 8188)
    .option('-n, --workers <n>', 'how many workers [config sim.workers, default 1]', integerIn(1, 64))
    .option('--profile <gpu>', 'emulated GPU: cpu, rtx3090, rtx4090, rtx5090, l40s, a100-80g, h100 [config sim.profile]')
    .option('--time-scale <x>', 'emulated time per real time (0.01 = 100x faster) [config sim.timeScale]', positiveUpTo(1000))
    .option('--comfyui <version>', 'ComfyUI to emulate: 0.3.64 or current (0.38: Jobs API, UUID prompt ids) (default: the version the node set matches; current for the built-in one)')
    .option('--object-info <file>', "node definitions saved from a real worker's /object_info (default: the --comfyui version's node set)")
    .option('--models <file>', 'JSON {folder: [files]} of the model files the workers have (default examples/sim-models.json, as run --sim)')
    .option('--faults <file>', 'JSON list of fault rules to inject (errors, delays, crashes, hangs)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ storycore sim
  $ storycore sim --workers 3 --profile h100 --time-scale 0.1
  $ storycore sim --comfyui 0.3.64
  $ storycore sim --port 9000 --models models.json --faults faults.json --json`,
    )
    .action(async (options: SimOptions, command: Command) => {
      const ctx = setup.context(command);
      const { config } = ctx.loadConfig([
        ...flagIf(options.workers, 'sim.workers', '--workers'),
        ...flagIf(options.profile, 'sim.profile', '--profile'),
        ...flagIf(options.timeScale, 'sim.timeScale', '--time-scale'),
      ]);
      const profile = parseGpuProfile(config.sim.profile, 'sim.profile');
      const comfyui = parseComfyui(options.comfyui);
      // Same default as `run --sim`: the bundled example graphs run against it out of the box.
      const { exampleModels } = await import('../../demo/example-graphs.js');
      const models = options.models ? readModelsFile(ctx.path(options.models, '--models', { mustExist: true }), ctx.io.cwd) : exampleModels();
      const faults = options.faults ? readFaultsFile(ctx.path(options.faults, '--faults', { mustExist: true }), ctx.io.cwd) : undefined;
      const objectInfo = options.objectInfo ? readObjectInfoFile(ctx.path(options.objectInfo, '--object-info', { mustExist: true }), ctx.io.cwd) : undefined;
      const count = config.sim.workers;
      if (options.port !== 0 && options.port + count - 1 > 65_535) {
        throw new SimOptionsError(`ports ${options.port}…${options.port + count - 1} run past 65535`, 'choose a lower --port or fewer --workers');
      }

      const { startEmulator } = await import('../../sim/index.js');
      const emulators: Emulator[] = [];
      const stop = ctx.stopSignal();
      try {
        for (let i = 0; i < count; i++) {
          const portNumber = options.port === 0 ? 0 : options.port + i;
          emulators.push(
            await startEmulator({
              host: options.host,
              port: portNumber,
              name: `sim-${i + 1}`,
              profile,
              timeScale: config.sim.timeScale,
              models,
              ...(faults ? { faults } : {}),
              ...(objectInfo ? { objectInfo } : {}),
              ...(comfyui ? { comfyui } : {}),
            }).catch((cause: unknown) => {
              if ((cause as NodeJS.ErrnoException).code === 'EADDRINUSE') {
                throw new SimOptionsError(`port ${portNumber} on ${options.host} is already in use`, 'stop what listens there or choose another --port', cause);
              }
              throw cause;
            }),
          );
        }
        const workers = emulators.map((e) => ({ name: e.name, url: e.url, port: e.port, profile, timeScale: config.sim.timeScale, comfyui: e.comfyui }));
        if (ctx.json) ctx.printJson({ workers });
        else {
          for (const w of workers) ctx.out(`${w.name}  ${w.url}`);
          ctx.info(`${count} emulated worker(s) (ComfyUI ${emulators[0]?.comfyui ?? comfyui ?? 'current'}, ${profile}, time scale ${config.sim.timeScale}); Ctrl-C to stop`);
        }
        const signal = await stop.promise;
        ctx.info(`${signal}: stopping`);
      } finally {
        stop.dispose();
        await Promise.all(emulators.map((e) => e.close()));
      }
    });
}
