import { describe, expect, it } from 'vitest';
import { CliContext } from '../../src/cli/context.js';
import type { CliIo } from '../../src/cli/io.js';
import { createProgress } from '../../src/cli/progress.js';

function context(options: { json?: boolean; tty?: boolean }): { ctx: CliContext; err: () => string } {
  let stderr = '';
  const io: CliIo = {
    stdout: { write: () => true },
    stderr: { write: (t: string) => (stderr += t), isTTY: options.tty ?? false },
    env: {},
    cwd: '/',
    onStopSignal: () => () => {},
  };
  return { ctx: new CliContext(io, { json: options.json }), err: () => stderr };
}

describe('progress display', () => {
  it('prints plain lines when not a TTY: on node change, on a finished node, else at most once per interval', () => {
    const { ctx, err } = context({});
    let now = 0;
    const progress = createProgress(ctx, { title: 'g.json', intervalMs: 1000, now: () => now });
    progress.update({ node: '4', classType: 'CheckpointLoaderSimple' });
    progress.update({ node: '3', classType: 'KSampler', value: 1, max: 20 });
    now = 500;
    progress.update({ node: '3', classType: 'KSampler', value: 2, max: 20 });
    now = 1600;
    progress.update({ node: '3', classType: 'KSampler', value: 9, max: 20 });
    progress.update({ node: '3', classType: 'KSampler', value: 20, max: 20 });
    progress.stop();
    expect(err().trim().split('\n')).toEqual([
      'g.json: node 4 (CheckpointLoaderSimple)',
      'g.json: node 3 (KSampler) step 1/20',
      'g.json: node 3 (KSampler) step 9/20',
      'g.json: node 3 (KSampler) step 20/20',
    ]);
  });

  it('prints nothing with --json', () => {
    const { ctx, err } = context({ json: true, tty: true });
    const progress = createProgress(ctx, { title: 'g' });
    progress.update({ node: '1', value: 1, max: 2 });
    progress.stop();
    expect(err()).toBe('');
  });
});
