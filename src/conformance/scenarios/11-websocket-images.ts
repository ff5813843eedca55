import { websocketGraph } from '../graphs.js';
import type { ScenarioScript } from '../scenario.js';
import { connectFrontend, connectLegacy } from './common.js';

const META = 'fixture-s11-meta';
const LEGACY = 'fixture-s11-legacy';

/** SaveImageWebsocket: binary type-4 frames for a metadata client, type-1 for a legacy one. */
export const websocketImages: ScenarioScript = {
  id: '11',
  name: 'websocket-images',
  file: '11-websocket-images.json',
  async run(s) {
    await connectFrontend(s, 'meta', META);
    await connectLegacy(s, 'legacy', LEGACY);
    const first = await s.submit({ prompt: websocketGraph(3368601), client_id: META }, 'meta client');
    await s.waitForEnd('meta', first.promptId);
    const again = await s.submit({ prompt: websocketGraph(3368601), client_id: META }, 'meta client, same graph again');
    await s.waitForEnd('meta', again.promptId);
    const legacy = await s.submit({ prompt: websocketGraph(10053171), client_id: LEGACY }, 'legacy client (no feature_flags)');
    await s.waitForEnd('legacy', legacy.promptId);
    const mark = s.mark('legacy');
    const last = await s.submit({ prompt: websocketGraph(3368601), client_id: META }, 'meta client, its graph once more after the legacy one (classic cache: nothing cached)');
    await s.waitForEnd('meta', last.promptId);
    await s.waitForQueue('legacy', 0, mark);
    await s.http('GET', `/history/${first.promptId}`);
    await s.close('meta');
    await s.close('legacy');
  },
};
