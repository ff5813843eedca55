import { imageGraph } from '../graphs.js';
import type { ScenarioScript } from '../scenario.js';
import { TEMPLATES_NOT_INSTALLED } from './01-introspection.js';
import { connectFrontend } from './common.js';

/** POST /free drops the node cache: scenario 3's graph re-executes completely. */
export const free: ScenarioScript = {
  id: '09',
  name: 'free',
  file: '09-free.json',
  allowedDifferences: [TEMPLATES_NOT_INSTALLED],
  async run(s) {
    await connectFrontend(s, 'client', 'fixture-s9-client');
    await s.http('GET', '/system_stats');
    await s.http('POST', '/free', { json: { unload_models: true, free_memory: true } });
    await s.http('GET', '/system_stats');
    const { promptId } = await s.submit({ prompt: imageGraph(), client_id: 'fixture-s9-client' }, 'scenario-3 graph after /free');
    await s.waitForEnd('client', promptId);
    await s.http('POST', '/free', { label: 'unload_models only', json: { unload_models: true } });
    await s.http('POST', '/free', { label: 'no body' });
    await s.close('client');
  },
};
