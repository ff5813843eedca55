import { blurGraph } from '../graphs.js';
import type { ScenarioScript } from '../scenario.js';
import { connectFrontend } from './common.js';

const client_id = 'fixture-s7-client';
const slow = (color: number, blurs: number) => blurGraph({ size: 512, color, blurs });

/**
 * A: interrupt a running job (noticed only before the next node). B: a running job and three
 * pending ones (one `front`), delete, clear, interrupt by prompt_id.
 */
export const interruptAndQueue: ScenarioScript = {
  id: '07',
  name: 'interrupt-and-queue',
  file: '07-interrupt-and-queue.json',
  // On the recording's CPU one ImageBlur r15 of 512² took ~4 s; the emulator is told to take slowMs.
  emulatorFaults: ({ slowMs }) => [{ classType: 'ImageBlur', whenInputs: { blur_radius: 15 }, action: { type: 'delay', ms: slowMs } }],
  async run(s) {
    await connectFrontend(s, 'client', client_id);
    s.note('part A');
    const a = await s.submit({ prompt: slow(1056816, 4), client_id }, 'A: slow graph');
    await s.waitForNode('client', a.promptId, '10');
    // As the recording (seq 14 → 15): a real ComfyUI checks the interrupt flag just after announcing a node.
    await s.pause(300);
    await s.http('GET', '/queue', { label: 'A running' });
    await s.http('POST', '/interrupt', { label: 'A: interrupt, no body' });
    await s.waitForEnd('client', a.promptId);
    await s.http('GET', `/history/${a.promptId}`);

    s.note('part B');
    const s1 = await s.submit({ prompt: slow(2109504, 3), client_id }, 'S1: slow graph');
    await s.waitForNode('client', s1.promptId, '10');
    const s2 = await s.submit({ prompt: slow(3162192, 1), client_id }, 'S2 (pending)');
    const s3 = await s.submit({ prompt: slow(4214880, 1), client_id }, 'S3 (pending)');
    const s4 = await s.submit({ prompt: slow(5267568, 1), client_id, front: true }, 'S4 (pending, front:true)');
    await s.http('GET', '/queue', { label: 'S1 running, S2 S3 S4 pending' });
    await s.http('GET', '/prompt');
    await s.http('POST', '/queue', { label: 'delete S2', json: { delete: [s2.promptId] } });
    await s.http('GET', '/queue', { label: 'after delete' });
    await s.http('POST', '/queue', { label: 'delete unknown id', json: { delete: ['no-such-prompt-id'] } });
    await s.http('POST', '/queue', { label: 'clear', json: { clear: true } });
    await s.http('GET', '/queue', { label: 'after clear (running job stays)' });
    await s.http('POST', '/interrupt', { label: 'interrupt for a prompt_id that is not running', json: { prompt_id: 'not-the-running-one' } });
    await s.pause(200); // as the recording (seq 50 → 52): S1's node 10 is well inside its run
    await s.http('POST', '/interrupt', { label: 'interrupt S1 by prompt_id', json: { prompt_id: s1.promptId } });
    await s.waitForEnd('client', s1.promptId);
    await s.http('GET', `/history/${s1.promptId}`);
    await s.http('GET', `/history/${s2.promptId}`, { label: 'deleted pending job: never ran, not in history' });
    await s.http('GET', `/history/${s3.promptId}`);
    await s.http('GET', `/history/${s4.promptId}`);
    await s.http('GET', '/queue');
    await s.http('POST', '/interrupt', { label: 'interrupt while idle' });
    await s.close('client');
  },
};
