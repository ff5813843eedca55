import { blurGraph, BLUR_31_ERROR, imageGraph } from '../graphs.js';
import type { ScenarioScript } from '../scenario.js';
import type { ScenarioSession } from '../session.js';
import { connectFrontend, connectLegacy } from './common.js';

const SOCKETS = ['A', 'B', 'C_observer'] as const;

/** Jobs without client_id end with a `status` broadcast only: wait for it on every socket. */
async function waitIdle(s: ScenarioSession, marks: Record<string, number>): Promise<void> {
  for (const label of SOCKETS) await s.waitForQueue(label, 0, marks[label] ?? 0);
}

function marks(s: ScenarioSession): Record<string, number> {
  return Object.fromEntries(SOCKETS.map((label) => [label, s.mark(label)]));
}

/** Two clients and an observer; jobs with and without client_id (success, interrupt, error). */
export const twoClients: ScenarioScript = {
  id: '08',
  name: 'two-clients',
  file: '08-two-clients.json',
  emulatorFaults: ({ slowMs }) => [
    { classType: 'ImageBlur', whenInputs: { blur_radius: 15 }, action: { type: 'delay', ms: slowMs } },
    { classType: 'ImageBlur', whenInputs: { blur_radius: 31 }, action: { type: 'raise', ...BLUR_31_ERROR } },
  ],
  async run(s) {
    await connectFrontend(s, 'A', 'fixture-s8-client-A');
    await connectFrontend(s, 'B', 'fixture-s8-client-B');
    await connectLegacy(s, 'C_observer', 'fixture-s8-client-C');
    let m = marks(s);
    const p1 = await s.submit({ prompt: blurGraph({ size: 256, color: 1122867, blurs: 1, prefix: 'clients/A' }), client_id: 'fixture-s8-client-A' }, 'P1 from A');
    const p2 = await s.submit({ prompt: imageGraph(96, 64), client_id: 'fixture-s8-client-B' }, 'P2 from B');
    await s.waitForEnd('A', p1.promptId);
    await s.waitForEnd('B', p2.promptId);
    await waitIdle(s, m);

    m = marks(s);
    const p3 = await s.submit({ prompt: blurGraph({ size: 64, color: 4478310, blurs: 1, radius: 3, prefix: 'clients/none' }) }, 'P3 without client_id');
    await waitIdle(s, m);
    await s.http('GET', `/history/${p3.promptId}`);

    s.note('P4: slow graph without client_id, interrupted (execution_interrupted is broadcast when there is no client_id)');
    m = marks(s);
    const p4 = await s.submit({ prompt: blurGraph({ size: 512, color: 7833753, blurs: 2, prefix: 'clients/none' }) }, 'P4 without client_id (will be interrupted)');
    await s.waitFor(
      'C_observer',
      'progress_state with node 10 running',
      (msg) => msg.type === 'progress_state' && msg.data?.prompt_id === p4.promptId && (msg.data.nodes as Record<string, { state?: string }> | undefined)?.['10']?.state === 'running',
      m.C_observer,
    );
    // The recording paused 300 ms here (seq 112 → 113), so the interrupt landed inside node 10 and stopped before 11.
    await s.pause(300);
    await s.http('POST', '/interrupt', { label: 'interrupt P4' });
    await waitIdle(s, m);
    await s.http('GET', `/history/${p4.promptId}`);

    s.note('P5: failing graph without client_id (execution_error is not sent to anyone)');
    m = marks(s);
    const p5 = await s.submit(
      {
        prompt: {
          '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
          '2': { class_type: 'ImageBlur', inputs: { image: ['1', 0], blur_radius: 31, sigma: 1 } },
          '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'clients/none' } },
        },
      },
      'P5 without client_id (fails in ImageBlur)',
    );
    await waitIdle(s, m);
    await s.http('GET', `/history/${p5.promptId}`, { label: 'body not stored (same shape as scenario 6)' });
    for (const label of SOCKETS) await s.close(label);
  },
};
