import { blurGraph, tinyGraph } from '../graphs.js';
import type { ScenarioScript } from '../scenario.js';
import { connectFrontend } from './common.js';

const RECONNECT = 'fixture-s12-reconnect';
const DUP = 'fixture-s12-dup';

/** A: close mid-job and reconnect with the same clientId. B: two sockets on one clientId. */
export const reconnectAndDuplicateIds: ScenarioScript = {
  id: '12',
  name: 'reconnect-and-duplicate-ids',
  file: '12-reconnect-and-duplicate-ids.json',
  // Only node 10 has to outlast the reconnect.
  emulatorFaults: ({ slowMs }) => [{ classType: 'ImageBlur', whenInputs: { blur_radius: 15 }, action: { type: 'delay', ms: slowMs }, times: 1 }],
  async run(s) {
    s.note('part A');
    await connectFrontend(s, 'R1', RECONNECT);
    const slow = await s.submit({ prompt: blurGraph({ size: 512, color: 658188, blurs: 3 }), client_id: RECONNECT }, 'slow graph');
    await s.waitForNode('R1', slow.promptId, '10');
    s.note('closing R1 while node 10 runs');
    await s.close('R1');
    await connectFrontend(s, 'R2', RECONNECT);
    await s.waitForEnd('R2', slow.promptId);

    s.note('part B');
    await connectFrontend(s, 'D1', DUP);
    await connectFrontend(s, 'D2', DUP);
    const both = await s.submit({ prompt: tinyGraph(66051, 'dup/rc'), client_id: DUP }, 'prompt for the duplicated clientId (both sockets open)');
    await s.waitForEnd('D2', both.promptId);
    s.note('closing D1 (the older socket)');
    await s.close('D1');
    const mark = s.mark('R2');
    await s.submit({ prompt: tinyGraph(263430, 'dup/rc'), client_id: DUP }, 'prompt for the same clientId after D1 closed');
    // D2 is unregistered and gets nothing; R2 sees the job end through the status broadcast.
    await s.waitForQueue('R2', 0, mark);
    await s.close('R2');
    await s.close('D2');
  },
};
