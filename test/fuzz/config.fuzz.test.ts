import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../src/config/index.js';
import { FUZZ_RUNS, FUZZ_SEED, FUZZ_TIMEOUT_MS, FuzzTally } from './support/fuzz-kit.js';
import { mutatedDocument, mutatedText } from './support/mutations.js';

/** A config using most sections, including profiles. */
const BASE_TEXT = `workers:
  - name: gpu1
    url: http://127.0.0.1:8188
    tags: [flux, 48gb]
    maxQueued: 2
    auth: { type: bearer, token: secret }
paths:
  outputDir: out
  allowedDirs: [../shared]
queue:
  backend: sqlite
  leaseMs: 60000
  heartbeatMs: 10000
server: { port: 8080 }
scheduler: { strategy: balanced }
sim: { profile: rtx4090, timeScale: 0.5, workers: 2 }
defaults: { timeoutMs: 60000, retries: 1 }
limits: { fileMb: 10, depth: 32 }
logging: { level: info }
profiles:
  production:
    logging: { level: warn }
`;
const BASE = parse(BASE_TEXT) as unknown;

const configText = fc.oneof(
  { weight: 4, arbitrary: mutatedDocument(BASE).map((doc) => stringify(doc)) },
  { weight: 3, arbitrary: mutatedText(BASE_TEXT) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
);

/** STORYCORE_* variables with arbitrary values, as a shell could set them. */
const envLayer = fc.dictionary(
  fc.constantFrom('STORYCORE_QUEUE__BACKEND', 'STORYCORE_SERVER__PORT', 'STORYCORE_WORKERS', 'STORYCORE_SIM__WORKERS', 'STORYCORE_LIMITS__DEPTH', 'STORYCORE_PATHS__ALLOWED_DIRS', 'STORYCORE_ENV', 'STORYCORE_DEFAULTS__TIMEOUT_MS'),
  fc.oneof(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v))),
  { maxKeys: 2 },
);

describe('fuzz: config', () => {
  it(
    `${FUZZ_RUNS} config files (YAML) with environment variables: each loads or is rejected in one line naming a field`,
    () => {
      const cwd = mkdtempSync(join(tmpdir(), 'storycore-fuzz-config-'));
      const file = join(cwd, 'storycore.config.yaml');
      const tally = new FuzzTally('config');
      fc.assert(
        fc.property(configText, fc.option(envLayer, { freq: 3 }), (text, env) => {
          writeFileSync(file, text);
          try {
            loadConfig({ cwd, env: env ?? {} });
            tally.accept();
          } catch (error) {
            // The file (with its line) or the variable that set the bad value, and the key.
            tally.reject(error, /storycore\.config\.yaml|STORYCORE_|unknown key \S+|[a-z]+\.[a-zA-Z]+/);
          }
        }),
        { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
      );
      expect(tally.report()).toContain('0 crashes');
      expect(tally.accepted).toBeGreaterThan(0);
      expect(tally.rejected).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT_MS,
  );
});
