import { defineConfig } from 'vitest/config';

// In CI the JSON report feeds .ci/summarize.mjs, which prints the "N passed, N failed" line.
const reporters = process.env.CI ? ['default', ['json', { outputFile: 'test-results.json' }]] : ['default'];

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: reporters as never,
  },
});
