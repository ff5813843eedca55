import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/server/openapi-document.js';

describe('the committed OpenAPI document', () => {
  it('is what the server generates (run npm run gen:openapi after changing a route)', async () => {
    const committed = JSON.parse(readFileSync(new URL('../../schema/openapi.json', import.meta.url), 'utf8')) as unknown;
    expect(await openApiDocument()).toEqual(committed);
  });

  it('is OpenAPI 3.1 with one error shape on every 4xx reply', async () => {
    const doc = await openApiDocument() as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }> }>> };
    expect(doc.openapi).toBe('3.1.0');
    const missing: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        for (const [status, reply] of Object.entries(op.responses)) {
          if (!/^[45]/.test(status) || path === '/readyz') continue; // readyz 503 carries the readiness report
          const props = reply.content?.['application/json']?.schema.properties;
          if (!props || !('code' in props) || !('message' in props) || !('fix' in props)) missing.push(`${method} ${path} ${status}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
