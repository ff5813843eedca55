import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeSource, loadConfig, type LoadedConfig } from '../../src/config/index.js';
import { tempDir } from '../cli/support/run-cli.js';

function project(files: Record<string, string>): string {
  const dir = tempDir('storycore-config-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function source(loaded: LoadedConfig, key: string): string {
  return describeSource(loaded.sourceOf(key.split('.')));
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const LAYERED_YAML = `# every layer sets server.port; each other key is set by one layer only
server:
  host: file-host
  port: 1000
queue:
  maxAttempts: 5
profiles:
  production:
    server:
      port: 2000
    queue:
      maxAttempts: 6
`;

describe('layered config', () => {
  it('applies default < file < profile < env < flag and reports where each value came from', () => {
    const cwd = project({ 'storycore.config.yaml': LAYERED_YAML });
    const env = { STORYCORE_ENV: 'production', STORYCORE_SERVER__PORT: '3000', STORYCORE_QUEUE__BACKEND: 'bullmq' };
    const loaded = loadConfig({ cwd, env, flags: [{ path: ['server', 'port'], value: 4000, flag: '--config-set server.port' }] });

    expect(loaded.config.logging.level).toBe('info');
    expect(source(loaded, 'logging.level')).toBe('default');
    expect(loaded.config.server.host).toBe('file-host');
    expect(source(loaded, 'server.host')).toBe('storycore.config.yaml:3');
    expect(loaded.config.queue.maxAttempts).toBe(6);
    expect(source(loaded, 'queue.maxAttempts')).toBe('profile production (storycore.config.yaml:12)');
    expect(loaded.config.queue.backend).toBe('bullmq');
    expect(source(loaded, 'queue.backend')).toBe('env STORYCORE_QUEUE__BACKEND');
    expect(loaded.config.server.port).toBe(4000);
    expect(source(loaded, 'server.port')).toBe('flag --config-set server.port');
    expect(loaded.environment).toBe('production');
    expect(loaded.profileApplied).toBe(true);
  });

  it('falls back one layer at a time for the same key', () => {
    const cwd = project({ 'storycore.config.yaml': LAYERED_YAML });
    const port = (env: NodeJS.ProcessEnv) => {
      const loaded = loadConfig({ cwd, env });
      return [loaded.config.server.port, source(loaded, 'server.port')];
    };
    expect(port({ STORYCORE_ENV: 'production', STORYCORE_SERVER__PORT: '3000' })).toEqual([3000, 'env STORYCORE_SERVER__PORT']);
    expect(port({ STORYCORE_ENV: 'production' })).toEqual([2000, 'profile production (storycore.config.yaml:10)']);
    expect(port({})).toEqual([1000, 'storycore.config.yaml:4']);
    const empty = loadConfig({ cwd: project({}), env: {} });
    expect([empty.config.server.port, source(empty, 'server.port')]).toEqual([8420, 'default']);
    expect(empty.file).toBeUndefined();
  });

  it('maps env names to camelCase keys, parses JSON, keeps text keys as text and ignores unrelated STORYCORE_ vars', () => {
    const loaded = loadConfig({
      cwd: project({}),
      env: {
        STORYCORE_QUEUE__SQLITE_PATH: '/var/lib/sc/q.sqlite',
        STORYCORE_PLANNER__LLM__API_KEY: '1234',
        STORYCORE_SIM__TIME_SCALE: '0.5',
        STORYCORE_WORKERS: '[{"url":"http://gpu-1:8188","tags":["flux"]}]',
        STORYCORE_REQUIRE_SERVICES: '1',
        STORYCORE_SOMETHING_ELSE: 'x',
      },
    });
    expect(loaded.config.queue.sqlitePath).toBe('/var/lib/sc/q.sqlite');
    expect(loaded.config.planner.llm.apiKey).toBe('1234');
    expect(loaded.config.sim.timeScale).toBe(0.5);
    expect(loaded.config.workers).toEqual([{ name: 'gpu-1:8188', url: 'http://gpu-1:8188', tags: ['flux'], headers: {}, maxQueued: 2 }]);
    expect(source(loaded, 'workers.0.url')).toBe('env STORYCORE_WORKERS');
  });

  it('replaces a list from an earlier layer instead of merging it', () => {
    const cwd = project({ 'storycore.config.yaml': 'workers:\n  - url: http://a:8188\n  - url: http://b:8188\n' });
    const loaded = loadConfig({ cwd, env: { STORYCORE_WORKERS: '[{"url":"http://c:8188"}]' } });
    expect(loaded.config.workers.map((w) => w.url)).toEqual(['http://c:8188']);
  });

  it('reads a JSON config named with --config', () => {
    const cwd = project({ 'studio.json': '{"scheduler": {"strategy": "fastest"}}' });
    const loaded = loadConfig({ cwd, env: {}, configPath: 'studio.json' });
    expect(loaded.config.scheduler.strategy).toBe('fastest');
    expect(source(loaded, 'scheduler.strategy')).toBe('studio.json:1');
  });
});

describe('config errors', () => {
  it('rejects an unknown key, naming the file, line, key and the likely fix', () => {
    const cwd = project({ 'storycore.config.yaml': 'queue:\n  bakend: sqlite\n' });
    const error = configError(() => loadConfig({ cwd, env: {} }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe('storycore.config.yaml:2: unknown key queue.bakend');
    expect(error.hint).toBe('did you mean queue.backend? Rename it in storycore.config.yaml');
  });

  it('says which values an enum accepts and where to set it', () => {
    const cwd = project({ 'storycore.config.yaml': 'queue:\n  backend: redis\n' });
    const error = configError(() => loadConfig({ cwd, env: {} }));
    expect(error.toOneLine()).toBe(
      "storycore.config.yaml:2: queue.backend: 'redis' is not one of sqlite, bullmq — set queue.backend to sqlite or bullmq in storycore.config.yaml",
    );
  });

  it('points a bad env value at its variable', () => {
    const error = configError(() => loadConfig({ cwd: project({}), env: { STORYCORE_SERVER__PORT: 'eighty' } }));
    expect(error.message).toBe("env STORYCORE_SERVER__PORT: server.port: expected a number, got a string 'eighty'");
    expect(error.hint).toContain('STORYCORE_SERVER__PORT');
  });

  it('reports a YAML syntax error with its line', () => {
    const cwd = project({ 'storycore.config.yaml': 'server:\n  port: 80\n  host: [unclosed\nqueue:\n  backend: sqlite\n' });
    const error = configError(() => loadConfig({ cwd, env: {} }));
    expect(error.code).toBe('CONFIG_SYNTAX');
    expect(error.message).toMatch(/^storycore\.config\.yaml:\d+: YAML syntax error: /);
    const line = Number(/:(\d+):/.exec(error.message)?.[1]);
    expect(line).toBeGreaterThanOrEqual(3);
    expect(error.hint).toContain(`line ${line}`);
  });

  it('reports a JSON syntax error with line and column', () => {
    const cwd = project({ 'storycore.config.json': '{\n  "server": {"port": 80,}\n}\n' });
    const error = configError(() => loadConfig({ cwd, env: {} }));
    expect(error.code).toBe('CONFIG_SYNTAX');
    expect(error.message).toMatch(/^storycore\.config\.json:2:\d+: JSON syntax error/);
  });

  it('finds typos in a profile that is not active', () => {
    const cwd = project({ 'storycore.config.yaml': 'profiles:\n  staging:\n    sim:\n      timeScal: 2\n' });
    const error = configError(() => loadConfig({ cwd, env: {} }));
    expect(error.message).toBe('profile staging (storycore.config.yaml:4): unknown key sim.timeScal');
    expect(error.hint).toBe('did you mean sim.timeScale? Rename it under profiles.staging in storycore.config.yaml');
  });

  it('rejects an unknown environment and an unknown profile name', () => {
    expect(configError(() => loadConfig({ cwd: project({}), env: { STORYCORE_ENV: 'prod' } })).code).toBe('CONFIG_ENV_INVALID');
    const cwd = project({ 'storycore.config.yaml': 'profiles:\n  prod:\n    server: {port: 1}\n' });
    expect(configError(() => loadConfig({ cwd, env: {} })).message).toBe(
      'storycore.config.yaml:2: profiles.prod is not an environment (development, testing, staging, production)',
    );
  });

  it('names a missing --config file', () => {
    const error = configError(() => loadConfig({ cwd: project({}), env: {}, configPath: 'nope.yaml' }));
    expect(error.code).toBe('CONFIG_NOT_FOUND');
    expect(error.message).toContain('nope.yaml');
  });

  it('never shows a secret value in an error', () => {
    const cwd = project({
      'storycore.config.yaml':
        'planner:\n  llm:\n    apiKey: ""\nworkers:\n  - url: http://gpu:8188\n    auth: {type: bearer, token: 12345678}\n',
    });
    const error = configError(() => loadConfig({ cwd, env: {} }));
    const all = JSON.stringify(error.problems) + error.message;
    expect(all).toContain('workers.0.auth.token: expected a string, got a number ***');
    expect(all).not.toContain('12345678');
  });

  it('requires the LLM endpoint when the planner is llm', () => {
    const error = configError(() => loadConfig({ cwd: project({}), env: { STORYCORE_PLANNER__KIND: 'llm' } }));
    expect(error.problems.map((p) => p.message)).toEqual(['planner.llm.url is required because planner.kind is llm', 'planner.llm.model is required because planner.kind is llm']);
    expect(error.problems.every((p) => p.where === 'env STORYCORE_PLANNER__KIND')).toBe(true);
  });

  it('blames a missing planner.llm.url on what set planner.kind, not on the API-key variable', () => {
    const env = { STORYCORE_PLANNER__KIND: 'llm', STORYCORE_PLANNER__LLM__MODEL: 'llama3.1', STORYCORE_PLANNER__LLM__API_KEY: 'secret-key' };
    const error = configError(() => loadConfig({ cwd: project({}), env }));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ path: 'planner.llm.url', where: 'env STORYCORE_PLANNER__KIND' });
    expect(error.message + error.hint).not.toContain('API_KEY');
    expect(error.hint).toContain('STORYCORE_PLANNER__LLM__URL');
  });

  it('names an exclusive bound as one: sim.timeScale 0 must be more than 0', () => {
    const error = configError(() => loadConfig({ cwd: project({}), env: { STORYCORE_SIM__TIME_SCALE: '0' } }));
    expect(error.message).toContain('sim.timeScale: 0 is too small (it must be more than 0)');
    expect(error.message).not.toContain('minimum 0');
  });
});
