import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './support/run-cli.js';

const SECRETS = ['tok-BEARER-1', 'pw-BASIC-2', 'key-SERVER-3', 'sig-ALERTS-4', 'key-LLM-5', 'hdr-AUTH-6', 'pw-REDIS-7'];

const CONFIG = `workers:
  - name: gpu-1
    url: http://gpu-1:8188
    auth: {type: bearer, token: tok-BEARER-1}
    headers: {Authorization: hdr-AUTH-6, X-Team: storyboard}
  - url: http://gpu-2:8188
    auth: {type: basic, username: render, password: pw-BASIC-2}
queue:
  redisUrl: redis://:pw-REDIS-7@redis.internal:6379
server:
  projectsDir: films
planner:
  kind: llm
  llm: {url: http://127.0.0.1:11434/v1, model: llama3.1, apiKey: key-LLM-5}
alerts:
  webhookUrl: https://hooks.example/storycore
  secret: sig-ALERTS-4
`;

function project(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'storycore.config.yaml'), CONFIG);
  return dir;
}

describe('config check', () => {
  it('prints every value with its source and redacts every secret', async () => {
    const run = await cli(['config', 'check'], { cwd: project(), env: { STORYCORE_SERVER__PORT: '9090' } });
    expect(run.code).toBe(0);
    for (const secret of SECRETS) expect(run.stdout).not.toContain(secret);
    const line = (key: string) => run.stdout.split('\n').find((l) => l.startsWith(`${key} `)) ?? '';
    expect(line('workers.0.auth.token')).toMatch(/\*\*\*\s+storycore\.config\.yaml:4$/);
    expect(line('workers.1.auth.password')).toContain('***');
    expect(line('workers.0.headers.Authorization')).toContain('***');
    expect(line('workers.0.headers.X-Team')).toContain('storyboard');
    expect(line('server.projectsDir')).toMatch(/films\s+storycore\.config\.yaml:11$/);
    expect(line('alerts.secret')).toContain('***');
    expect(line('planner.llm.apiKey')).toContain('***');
    expect(line('queue.redisUrl')).toContain('redis://:***@redis.internal:6379');
    expect(line('server.port')).toMatch(/9090\s+env STORYCORE_SERVER__PORT$/);
    expect(line('logging.level')).toMatch(/info\s+default$/);
  });

  it('--config-check and --json give the same redacted facts', async () => {
    const run = await cli(['--config-check', '--json', '--config-set', 'sim.workers=3'], { cwd: project() });
    expect(run.code).toBe(0);
    for (const secret of SECRETS) expect(run.stdout).not.toContain(secret);
    const report = JSON.parse(run.stdout) as { values: Record<string, { value: unknown; source: string }>; config: { alerts: { secret: string } } };
    expect(report.values['sim.workers']).toEqual({ value: 3, source: 'flag --config-set sim.workers' });
    expect(report.values['alerts.secret']).toEqual({ value: '***', source: 'storycore.config.yaml:17' });
    expect(report.config.alerts.secret).toBe('***');
  });

  it('lists every problem of an invalid config and exits 2', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'storycore.config.yaml'), 'queue:\n  backend: redis\nplanner:\n  llm:\n    apiKey: 42\nserver:\n  prot: 1\n');
    const run = await cli(['config', 'check'], { cwd });
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toEqual([
      "error: storycore.config.yaml:2: queue.backend: 'redis' is not one of sqlite, bullmq — set queue.backend to sqlite or bullmq in storycore.config.yaml",
      'error: storycore.config.yaml:7: unknown key server.prot — did you mean server.port? Rename it in storycore.config.yaml',
      'error: storycore.config.yaml:5: planner.llm.apiKey: expected a string, got a number *** — set planner.llm.apiKey to a string in storycore.config.yaml',
    ]);
  });
});
