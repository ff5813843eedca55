import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript beside the launcher, no types
import { SUPPORTED_NODE, unsupportedNode } from '../../bin/node-version.js';

const BIN = fileURLToPath(new URL('../../bin/storycore.js', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
const check = unsupportedNode as (version: string) => string | undefined;

/** Runs bin/storycore.js as if on Node `version` (process.versions.node replaced before it loads). */
async function launch(version: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const preload = `data:text/javascript,Object.defineProperty(process.versions,"node",{value:"${version}"})`;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', preload, BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('supported Node.js versions', () => {
  it('package.json engines says the range the launcher checks', () => {
    expect(pkg.engines.node).toBe(SUPPORTED_NODE);
  });

  it.each([['20.19.0'], ['20.20.2'], ['22.12.0'], ['24.1.0'], ['v22.13.1']])('accepts %s', (version) => {
    expect(check(version)).toBeUndefined();
  });

  it.each([['18.20.0'], ['20.18.3'], ['21.7.0'], ['22.11.0']])('refuses %s', (version) => {
    expect(check(version)).toMatch(new RegExp(`this is Node ${version.replace(/\./g, '\\.')}`));
  });

  it('this Node (the one CI runs) is supported', () => {
    expect(check(process.versions.node)).toBeUndefined();
  });

  it('the launcher refuses an old Node with one line and exit 1, before loading anything', async () => {
    const run = await launch('20.10.0', ['--version']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('error: storycore needs Node.js 20.19 or later on 20.x, or 22.12 or later (this is Node 20.10.0): install a supported Node.js from https://nodejs.org\n');
  });

  it('the launcher runs on a supported Node', async () => {
    const run = await launch('22.12.0', ['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  }, 30_000);
});
