import type { ScenarioScript } from '../scenario.js';

/** Scenario 3's prompt: the oldest history entry, deleted here. */
const OLDEST = 'ee7e87ad-2f16-4033-acc1-897d2d2adb81';

/** GET /history paging, non-integer max_items, POST /history delete and clear. */
export const historyOps: ScenarioScript = {
  id: '13',
  name: 'history-ops',
  file: '13-history-ops.json',
  async run(s) {
    await s.http('GET', '/history', { label: 'all entries (body not stored: see the keys in summary)' });
    await s.http('GET', '/history?max_items=2');
    await s.http('GET', '/history?offset=1&max_items=1');
    await s.http('GET', '/history?offset=23');
    await s.http('GET', '/history?max_items=abc', { label: 'non-integer max_items' });
    const oldest = s.live(OLDEST);
    await s.http('POST', '/history', { label: 'delete the oldest entry', json: { delete: [oldest] } });
    await s.http('GET', `/history/${oldest}`);
    await s.http('POST', '/history', { json: { clear: true } });
    await s.http('GET', '/history');
  },
};
