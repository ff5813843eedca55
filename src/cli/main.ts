#!/usr/bin/env node
// Entry point of the `storycore` binary: everything lives in runCli so tests can run it in-process.
import { processIo } from './io.js';
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), processIo());
process.exitCode = code;
// A lingering socket or timer must not keep a finished command alive; unref'd, so a clean exit is not delayed.
setTimeout(() => process.exit(code), 2000).unref();
