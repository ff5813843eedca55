import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectGpu, integerIn, MAX_SECONDS, oneOf, plannerKind, port, positiveInteger, positiveNumber, positiveUpTo, seconds } from '../../src/cli/option-parsers.js';
import { cli, tempDir } from '../cli/support/run-cli.js';
import { FUZZ_RUNS, FUZZ_SEED, FUZZ_TIMEOUT_MS } from './support/fuzz-kit.js';

/** Option values as a user (or a script with a bug) types them: numbers of every shape, words, junk. */
const optionValue = fc.oneof(
  fc.double().map(String),
  fc.integer().map(String),
  fc.bigInt().map(String),
  fc.constantFrom('', ' ', '-', '+1', '-5', '0', '00', '1.', '.5', '1e3', '1e999', '-0', '0x10', '0b1', '1_000', 'NaN', 'Infinity', '-Infinity', '2147483648', '9007199254740993', ' 7 ', '7\n', '٣', 'rules', 'llm', 'draft', 'final', 'image', 'fnal'),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

type Contract = (value: unknown) => boolean;
const PARSERS: Array<[string, (value: string) => unknown, Contract]> = [
  ['positiveNumber', positiveNumber, (n) => typeof n === 'number' && Number.isFinite(n) && n > 0],
  ['positiveInteger', positiveInteger, (n) => Number.isSafeInteger(n) && (n as number) > 0],
  ['port', port, (n) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 65_535],
  ['integerIn(1, 120)', integerIn(1, 120), (n) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 120],
  ['positiveUpTo(4096)', positiveUpTo(4096), (n) => typeof n === 'number' && n > 0 && n <= 4096],
  ['seconds', seconds, (n) => typeof n === 'number' && n > 0 && n <= MAX_SECONDS],
  ['oneOf(draft, standard, final)', oneOf(['draft', 'standard', 'final']), (v) => ['draft', 'standard', 'final'].includes(v as string)],
  ['plannerKind', plannerKind, (v) => v === 'rules' || v === 'llm'],
  ['collectGpu', (v) => collectGpu(v, []), (v) => Array.isArray(v) && Number.isInteger(v[0]) && v[0] >= 0 && v[0] <= 63],
];

describe('fuzz: CLI option parsers', () => {
  it.each(PARSERS)(`${FUZZ_RUNS} values for %s: a value in range, or commander's one-line "expected …"`, (name, parse, contract) => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(optionValue, (value) => {
        try {
          const parsed = parse(value);
          expect(contract(parsed), `${name}(${JSON.stringify(value)}) = ${JSON.stringify(parsed)}`).toBe(true);
          accepted++;
        } catch (error) {
          if (!(error instanceof InvalidArgumentError)) throw error;
          expect(error.message).toMatch(/^expected [^\n]+\.$/);
          rejected++;
        }
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
    console.log(`fuzz option ${name}: seed ${FUZZ_SEED}, ${FUZZ_RUNS} cases, ${accepted} accepted, ${rejected} rejected cleanly, 0 crashes`);
  });
});

/** Commands that parse options and then stop early (no worker, no emulator), with the options to fuzz. */
const COMMANDS: Array<[string[], string[]]> = [
  [['metrics', '--store', 'none.sqlite'], ['--since']],
  [['plan', 'missing.md'], ['--fps', '--quality', '--style', '--planner']],
  [['workers', 'list', '--no-probe'], ['--timeout']],
  [['templates', 'list'], ['--capability']],
  [['models', 'plan', 'sd15-t2i'], ['--vram', '--variant']],
  [['preflight', 'g.json', '--object-info', 'missing.json'], ['--expect', '--vram', '--variant']],
  [['comfyui', 'logs'], ['--lines', '--gpu']],
  [['run', 'g.json', '--worker', 'http://127.0.0.1:1', '--sim'], ['--timeout', '--time-scale', '--profile', '--models', '--out']],
];

describe('fuzz: CLI options end to end', () => {
  it(
    `${FUZZ_RUNS} command lines: exit code 0–2 and, on failure, one line (the option and value, or the file), never "unexpected error"`,
    async () => {
      const cwd = tempDir();
      writeFileSync(join(cwd, 'g.json'), '{"1": {"class_type": "SaveImage", "inputs": {}}}');
      const command = fc.constantFrom(...COMMANDS).chain(([argv, options]) =>
        fc.array(fc.tuple(fc.constantFrom(...options), optionValue), { minLength: 1, maxLength: 3 }).map((pairs) => [...argv, ...pairs.flat()]),
      );
      let failures = 0;
      let successes = 0;
      await fc.assert(
        fc.asyncProperty(command, async (argv) => {
          const run = await cli(argv, { cwd });
          const output = `${run.stderr}${run.stdout}`;
          expect(output, argv.join(' ')).not.toMatch(/unexpected error|\n\s+at .+:\d+:\d+/);
          if (run.code === 0) {
            successes++;
            return;
          }
          expect([1, 2], `${argv.join(' ')} → ${run.code}: ${output}`).toContain(run.code);
          const lines = run.stderr.split('\n').filter((l) => l.length > 0);
          expect(lines, argv.join(' ')).toHaveLength(1);
          expect(lines[0]).toMatch(/^error: /);
          // A refused value is named with its option.
          if (lines[0]!.startsWith("error: option '")) expect(lines[0]).toMatch(/^error: option '(-\w, )?--[\w-]+ <[^>]+>' argument '.*' is invalid\. expected /);
          failures++;
        }),
        { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
      );
      console.log(`fuzz CLI command lines: seed ${FUZZ_SEED}, ${FUZZ_RUNS} cases, ${successes} succeeded, ${failures} refused in one line, 0 crashes`);
    },
    FUZZ_TIMEOUT_MS,
  );
});
