import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES, type Scope } from '../../src/server/auth/scopes.js';
import { startHarness, type Harness } from './support/server-harness.js';

interface Operation { method: string; path: string; scope: string }

const SAMPLE: Record<string, string> = {
  project: 'matrix', shot: 'shot-001', run: 'run-abc-123456', sha256: '0'.repeat(64), id: 'sd15-t2i', job: 'no-such-job', name: 'sim-1',
};

/** A request that reaches the handler: real path parameters and a body that parses where one is needed. */
function request(op: Operation): { url: string; body?: unknown } {
  const url = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => (op.path.startsWith('/api/keys/') && name === 'id' ? '0123456789ab' : op.path.startsWith('/api/webhooks/') && name === 'id' ? 'wh_0123456789ab' : SAMPLE[name]!));
  const bodies: Record<string, unknown> = {
    'POST /api/projects': { id: 'made-by-matrix', from: 'sample' },
    'PUT /api/projects/{project}/story': { yaml: 'title: x\n' },
    'PATCH /api/projects/{project}/shots/{shot}': { duration: 3 },
    'POST /api/projects/{project}/plan': { text: 'A man walks.', replace: false },
    'POST /api/projects/{project}/runs': { kind: 'render' },
    'POST /api/projects/{project}/runs/{run}/cancel': {},
    'POST /api/projects/{project}/dry-run': undefined,
    'POST /api/keys': { name: 'matrix', scopes: ['read'] },
    'POST /api/workers': { url: 'http://127.0.0.1:1' },
    'POST /api/webhooks': { url: 'http://127.0.0.1:1', events: ['alert'] },
    'POST /api/projects/{project}/jobs/{job}/cancel': undefined,
    'POST /api/templates/{id}/build': { params: {} },
    'POST /api/templates/{id}/preflight': { worker: 'sim-1' },
    'POST /api/workers/{name}/check': undefined,
  };
  const body = bodies[`${op.method} ${op.path}`];
  return { url, ...(body !== undefined ? { body } : {}) };
}

describe('every route declares a scope and enforces it (derived from the OpenAPI document)', () => {
  let h: Harness;
  let operations: Operation[];
  beforeAll(async () => {
    h = await startHarness({ sim: 1, rateLimitPerMinute: 100_000, authFailuresPerMinute: 100_000 });
    expect((await h.call('POST', '/api/projects', { body: { id: 'matrix', from: 'sample' } })).status).toBe(201);
    const doc = (await h.call('GET', '/api/openapi.json', { key: null })).body;
    operations = Object.entries(doc.paths as Record<string, Record<string, { 'x-scope'?: string }>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, scope: op['x-scope'] ?? 'MISSING' })));
  });
  afterAll(async () => h?.stop());

  it('lists every route with a scope', () => {
    expect(operations.length).toBeGreaterThan(20);
    expect(operations.filter((o) => o.scope === 'MISSING')).toEqual([]);
    expect(operations.filter((o) => o.scope === 'public').map((o) => o.path).sort()).toEqual(['/healthz', '/readyz']);
  });

  it('no key → 401, a weaker scope → 403, the right scope → neither', async () => {
    const send = async (op: Operation, key: string | null) => {
      const { url, body } = request(op);
      const abort = new AbortController();
      const res = await fetch(`${h.server.url}${url}`, {
        method: op.method, signal: abort.signal,
        headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      abort.abort(); // SSE streams stay open
      return res.status;
    };
    const failures: string[] = [];
    for (const op of operations.filter((o) => o.scope !== 'public')) {
      const needed = op.scope as Scope;
      const noKey = await send(op, null);
      if (noKey !== 401) failures.push(`${op.method} ${op.path} without a key: ${noKey}`);
      const bad = await send(op, 'sck_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      if (bad !== 401) failures.push(`${op.method} ${op.path} with an unknown key: ${bad}`);
      for (const held of SCOPES.slice(0, SCOPES.indexOf(needed))) {
        const status = await send(op, h.keys[held]);
        if (status !== 403) failures.push(`${op.method} ${op.path} with a ${held} key: ${status}`);
      }
      const ok = await send(op, h.keys[needed]);
      if (ok === 401 || ok === 403 || ok >= 500) failures.push(`${op.method} ${op.path} with a ${needed} key: ${ok}`);
    }
    expect(failures).toEqual([]);
  });
});
