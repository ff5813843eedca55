import { imageGraph } from '../graphs.js';
import type { ScenarioScript } from '../scenario.js';
import { connectFrontend } from './common.js';

/** Scenario 3's graph again (fully cached), a one-input variant (partly cached), the variant again. */
export const cache: ScenarioScript = {
  id: '04',
  name: 'cache',
  file: '04-cache.json',
  async run(s) {
    const client_id = 'fixture-s4-client';
    await connectFrontend(s, 'client', client_id);
    const first = await s.submit({ prompt: imageGraph(), client_id }, 'same graph as scenario 3 (fully cached)');
    await s.waitForEnd('client', first.promptId);
    const second = await s.submit({ prompt: imageGraph(160), client_id }, 'ImageScale width 160 (partially cached)');
    await s.waitForEnd('client', second.promptId);
    const third = await s.submit({ prompt: imageGraph(160), client_id }, 'variant again (fully cached)');
    await s.waitForEnd('client', third.promptId);
    await s.http('GET', `/history/${first.promptId}`);
    await s.http('GET', `/history/${second.promptId}`);
    await s.close('client');
  },
};
