/**
 * Writes schema/openapi.json from the server's routes (zod schemas → OpenAPI 3.1).
 * `npm run gen:openapi`; test/server/openapi.test.ts fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from '../src/server/openapi-document.js';

const out = fileURLToPath(new URL('../schema/openapi.json', import.meta.url));
writeFileSync(out, `${JSON.stringify(await openApiDocument(), null, 2)}\n`);
console.log(`wrote ${out}`);
