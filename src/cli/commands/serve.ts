import type { Command } from 'commander';
import type { CommandSetup } from '../command-setup.js';
import { flagIf } from '../context.js';
import { port, positiveInteger } from '../option-parsers.js';
import { parseGpuProfile } from '../sim-files.js';

interface ServeCommandOptions {
  host?: string;
  port?: number;
  sim?: number;
  insecureNoAuth?: boolean;
}

export function registerServe(program: Command, setup: CommandSetup): void {
  program
    .command('serve')
    .description('run the REST API and live events (OpenAPI at /api/openapi.json, docs at /api/docs) until Ctrl-C')
    .option('--host <host>', 'address to listen on; anything but loopback needs an API key [config server.host, default 127.0.0.1]')
    .option('-p, --port <port>', 'port [config server.port, default 8420]', port)
    .option('--sim <n>', 'run every project on n emulated workers (an animatic, no GPU needed)', positiveInteger)
    .option('--insecure-no-auth', 'accept every request as admin, with no key (never on a shared network)')
    .addHelpText('after', `
Projects live in server.projectsDir (default ./projects). On first start with no key, an admin key
is created and printed once; create more with \`storycore keys create\`. SIGTERM stops accepting,
lets requests finish and leaves jobs in the durable queue; the next start resumes running runs.

Examples:
  $ storycore serve --sim 2
  $ storycore serve --host 0.0.0.0 --port 8420`)
    .action(async (options: ServeCommandOptions, command: Command) => {
      const ctx = setup.context(command);
      const { config } = ctx.loadConfig([
        ...flagIf(options.host, 'server.host', '--host'),
        ...flagIf(options.port, 'server.port', '--port'),
      ]);
      const { startServer } = await import('../../server/serve.js');
      const stop = ctx.stopSignal();
      const server = await startServer({
        config,
        cwd: ctx.io.cwd,
        ...(options.sim ? { sim: { workers: options.sim, profile: parseGpuProfile(config.sim.profile, 'sim.profile'), timeScale: config.sim.timeScale } } : {}),
        insecureNoAuth: options.insecureNoAuth === true,
        logger: ctx.quiet ? false : { level: ctx.verbose ? 'debug' : 'info', stream: ctx.io.stderr as NodeJS.WritableStream },
        announce: (line) => ctx.io.stderr.write(`${line}\n`),
      });
      ctx.io.stdout.write(`StoryCore API at ${server.url} (docs ${server.url}/api/docs)${server.emulators.length ? ` on ${server.emulators.length} emulated workers` : ''}\n`);
      try {
        await stop.promise;
      } finally {
        stop.dispose();
        await server.close();
      }
    });
}
