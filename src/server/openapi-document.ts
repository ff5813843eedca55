import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/index.js';
import { buildServer } from './app.js';

/** The OpenAPI document of the server's routes, built without listening or any worker. */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'storycore-openapi-'));
  try {
    const { config } = loadConfig({ cwd: dir, env: {} });
    const server = await buildServer({ config, projectsDir: join(dir, 'projects'), stateDir: join(dir, 'state'), cwd: dir });
    try {
      const doc = server.app.swagger() as unknown as Record<string, unknown>;
      // The version changes with every release; the document is compared without it.
      return { ...doc, info: { ...(doc.info as object), version: 'see GET /api/openapi.json' } };
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
