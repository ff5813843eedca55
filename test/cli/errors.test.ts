import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeError, formatErrorLine } from '../../src/cli/render-error.js';
import { cli, closedPort, expectOneLineError, tempDir } from './support/run-cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function dirWith(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('one-line errors', () => {
  it('a missing graph file', async () => {
    const run = await cli(['run', 'nope.json', '--sim']);
    expect(run.code).toBe(2);
    expect(expectOneLineError(run.stderr)).toBe(
      'error: graph file nope.json does not exist — check the path (example graphs are in examples/graphs/)',
    );
  });

  it('malformed JSON, with line and column', async () => {
    const cwd = dirWith({ 'g.json': '{\n  "1": {"class_type": "SaveImage",}\n}\n' });
    const run = await cli(['run', 'g.json', '--sim'], { cwd });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run.stderr)).toMatch(/^error: g\.json is not valid JSON at line 2, column \d+: .* — fix line 2 /);
  });

  it('a UI-format workflow', async () => {
    const cwd = dirWith({ 'ui.json': JSON.stringify({ last_node_id: 9, nodes: [{ id: 1, type: 'KSampler' }], links: [], version: 0.4 }) });
    const run = await cli(['run', 'ui.json', '--worker', 'http://127.0.0.1:8188'], { cwd });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run.stderr)).toBe(
      "error: ui.json: this is a UI-format workflow saved from the editor — export it with 'Save (API)' or run `storycore convert`",
    );
  });

  it('a node without class_type', async () => {
    const cwd = dirWith({ 'g.json': '{"1": {"inputs": {}}}' });
    const run = await cli(['run', 'g.json', '--sim'], { cwd });
    expect(expectOneLineError(run.stderr)).toContain('node 1 has no class_type');
  });

  it('a bad worker URL', async () => {
    const run = await cli(['workers', 'check', 'htp:/x']);
    expect(run.code).toBe(2);
    expect(expectOneLineError(run.stderr)).toBe(
      "error: 'htp:/x' is not a worker URL: the scheme must be http or https, not htp — give the ComfyUI address as http://host:port, e.g. http://127.0.0.1:8188",
    );
  });

  it('an unreachable worker names the URL and what to check', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await cli(['workers', 'check', url]);
    expect(run.code).toBe(3);
    const line = expectOneLineError(run.stderr);
    expect(line).toContain(url);
    expect(line).toMatch(/ — check that ComfyUI is running/);
  });

  it('an unreachable worker on run', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await cli(['run', join(ROOT, 'examples/graphs/keyframe-sd15.json'), '--worker', url]);
    expect(run.code).toBe(3);
    expect(expectOneLineError(run.stderr)).toContain(url);
  });

  it('an unknown config key', async () => {
    const cwd = dirWith({ 'storycore.config.yaml': 'server:\n  prot: 80\n' });
    const run = await cli(['run', 'g.json', '--sim'], { cwd });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run.stderr)).toBe(
      'error: storycore.config.yaml:2: unknown key server.prot — did you mean server.port? Rename it in storycore.config.yaml',
    );
  });

  it('an unknown command and a bad option value', async () => {
    const unknown = await cli(['rnu']);
    expect(unknown.code).toBe(2);
    expect(expectOneLineError(unknown.stderr)).toContain("unknown command 'rnu'");
    const badOption = await cli(['run', 'g.json', '--sim', '--time-scale', 'fast']);
    expect(badOption.code).toBe(2);
    expect(expectOneLineError(badOption.stderr)).toContain("'--time-scale <x>' argument 'fast' is invalid");
  });

  it('--sim and --worker together', async () => {
    const run = await cli(['run', 'g.json', '--sim', '--worker', 'http://127.0.0.1:8188']);
    expect(expectOneLineError(run.stderr)).toContain('--sim and --worker both given');
  });

  it('no worker at all, without --sim, is refused rather than silently emulated', async () => {
    const cwd = dirWith({ 'g.json': '{"1": {"class_type": "SaveImage", "inputs": {}}}' });
    const run = await cli(['run', 'g.json'], { cwd });
    expect(run.code).toBe(2);
    expect(expectOneLineError(run.stderr)).toContain('no worker to run on');
  });

  it('prints {error:{code,message,hint}} on stdout with --json', async () => {
    const run = await cli(['run', 'nope.json', '--sim', '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      error: {
        code: 'GRAPH_FILE_NOT_FOUND',
        message: 'graph file nope.json does not exist',
        hint: 'check the path (example graphs are in examples/graphs/)',
      },
    });
  });

  it('an unexpected error is one line with a pointer to --verbose, network errors say what to fix', () => {
    const bug = describeError(new RangeError('index out of range\nsecond line'));
    expect(bug.exitCode).toBe(1);
    expect(formatErrorLine(bug)).toBe('error: unexpected error: RangeError: index out of range | second line — run with --verbose for the stack trace');

    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 9 }) });
    expect(formatErrorLine(describeError(refused))).toBe(
      'error: nothing is listening at 127.0.0.1:9 (connection refused) — check that ComfyUI (or `storycore sim`) is running there and that the port is right',
    );
    const dns = new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND gpu-9'), { code: 'ENOTFOUND', hostname: 'gpu-9' }) });
    expect(describeError(dns).message).toBe('host gpu-9 cannot be resolved');
    const scheme = new TypeError('fetch failed', { cause: new Error('unknown scheme') });
    expect(describeError(scheme, 'htp:/x').code).toBe('NETWORK_BAD_URL');
  });

  it('the real binary exits non-zero with one line and no stack trace', async () => {
    const cwd = tempDir();
    const result = await promisify(execFile)(process.execPath, [join(ROOT, 'bin/storycore.js'), 'run', 'missing.json', '--sim'], { cwd }).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect((result as { code?: number }).code).toBe(2);
    expectOneLineError(result.stderr);
  });
});
