import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/server-harness.js';

/** Every JSON body route, with a valid body to mutate. */
const ROUTES: { method: string; path: string; valid: Record<string, unknown> }[] = [
  { method: 'POST', path: '/api/projects', valid: { id: 'fuzzed', from: 'sample' } },
  { method: 'PUT', path: '/api/projects/target/story', valid: { yaml: 'title: T\nscenes: []\n' } },
  { method: 'PATCH', path: '/api/projects/target/shots/shot-001', valid: { duration: 4 } },
  { method: 'POST', path: '/api/projects/target/plan', valid: { text: 'A man walks.', replace: false } },
  { method: 'POST', path: '/api/projects/target/runs', valid: { kind: 'render', shots: ['shot-001'] } },
  { method: 'POST', path: '/api/keys', valid: { name: 'k', scopes: ['read'] } },
  { method: 'POST', path: '/api/workers', valid: { url: 'http://127.0.0.1:1' } },
];

const SEED = 20261208;

/** A valid body with one thing changed: a key dropped, a value replaced, a key added. */
function mutated(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  return fc.oneof(
    fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== k))),
    fc.tuple(fc.constantFrom(...keys), fc.jsonValue()).map(([k, v]) => ({ ...valid, [k]: v })),
    fc.tuple(fc.string({ maxLength: 12 }), fc.jsonValue()).map(([k, v]) => ({ ...valid, [k]: v })),
    fc.tuple(fc.constantFrom(...keys), fc.string({ minLength: 1000, maxLength: 5000 })).map(([k, v]) => ({ ...valid, [k]: v })),
  );
}

describe('property: random and mutated JSON bodies never get a 500, always name the field, never change a stored file', () => {
  let h: Harness;
  let story: Buffer;
  beforeAll(async () => {
    h = await startHarness({ sim: 0, rateLimitPerMinute: 1_000_000 });
    expect((await h.call('POST', '/api/projects', { body: { id: 'target', from: 'sample' } })).status).toBe(201);
    story = readFileSync(join(h.server.ctx.projects.root, 'target', 'story.yaml'));
  });
  afterAll(async () => h?.stop());

  for (const route of ROUTES) {
    it(`${route.method} ${route.path} (seed ${SEED})`, async () => {
      const bodies = fc.oneof(fc.jsonValue(), mutated(route.valid), fc.string().map((s) => ({ raw: s })));
      await fc.assert(fc.asyncProperty(bodies, async (body) => {
        const raw = typeof body === 'object' && body !== null && 'raw' in body && Object.keys(body).length === 1 ? (body as { raw: string }).raw : undefined;
        const res = await h.call(route.method, route.path, { body: raw ?? JSON.stringify(body) });
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
        if (res.status >= 400) {
          expect(typeof res.body.code).toBe('string');
          expect(typeof res.body.message).toBe('string');
          expect(typeof res.body.field, JSON.stringify(res.body)).toBe('string');
          expect(readFileSync(join(h.server.ctx.projects.root, 'target', 'story.yaml'))).toEqual(story);
        } else {
          story = readFileSync(join(h.server.ctx.projects.root, 'target', 'story.yaml'));
          await h.server.ctx.runs.detachAll();
        }
      }), { seed: SEED, numRuns: 100 });
    }, 120_000);
  }
});
