import { startEmulator } from '../../src/sim/index.js';

/**
 * Runs the emulator in its own process so that the server does not share an event loop with
 * the client being measured (curl gets a separate process too). Prints `READY <url>` on stdout.
 */
const dataDir = process.argv[2];
const emulator = await startEmulator({ timeScale: 0, ...(dataDir ? { dataDir } : {}) });
process.stdout.write(`READY ${emulator.url}\n`);
process.on('SIGTERM', () => {
  void emulator.close().then(() => process.exit(0));
});
