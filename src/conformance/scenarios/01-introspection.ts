import type { ScenarioScript } from '../scenario.js';
import type { ScenarioSession } from '../session.js';

const GETS: Array<[string, string?]> = [
  ['/system_stats'],
  ['/queue'],
  ['/prompt'],
  ['/features'],
  ['/embeddings'],
  ['/extensions'],
  ['/models'],
  ['/models/checkpoints'],
  ['/models/loras'],
  ['/history'],
  ['/object_info'],
  ['/object_info/SaveImage'],
  ['/object_info/LoadImage'],
  ['/object_info/ImageBlur', 'a V3-schema node (comfy_api io.ComfyNode)'],
  ['/object_info/NoSuchNode', 'unknown node class'],
  ['/models/no_such_folder', 'unknown model folder'],
  ['/models/unet', 'legacy folder name'],
  ['/api/system_stats', '/api prefix'],
  ['/api/object_info/SaveImage', '/api prefix'],
  ['/api/queue', '/api prefix'],
  ['/', 'web root (stub index.html from --front-end-root)'],
  ['/internal/folder_paths', 'internal route (not /api-prefixed)'],
];

export const TEMPLATES_NOT_INSTALLED = {
  match: /system_stats \$\.system\.installed_templates_version$/,
  reason:
    'the recording server lacked comfyui-workflow-templates (fixtures README, deviation 5) and reported null; the emulator reports the version a stock 0.3.64 install has',
};

const hello = (s: ScenarioSession, label: string) => s.waitFor(label, 'status with sid', (m) => m.type === 'status' && typeof m.data?.sid === 'string');

/** Read-only endpoints on a fresh server, then three socket handshakes. */
export const introspection: ScenarioScript = {
  id: '01',
  name: 'introspection',
  file: '01-introspection.json',
  allowedDifferences: [
    TEMPLATES_NOT_INSTALLED,
    { match: /^http #20 GET \/ /, reason: 'the web root serves whatever frontend is installed; the recording had a one-line stub page' },
  ],
  async run(s) {
    for (const [path, label] of GETS) await s.http('GET', path, label ? { label } : {});
    await s.open('with_client_id', 'fixture-s1-client');
    await hello(s, 'with_client_id');
    await s.open('no_client_id', null);
    await hello(s, 'no_client_id');
    await s.open('frontend_flags', 'fixture-s1-frontend', { path: '/api/ws' });
    s.sendFrontendFlags('frontend_flags');
    await s.waitFor('frontend_flags', 'feature_flags reply', (m) => m.type === 'feature_flags');
    // A second feature_flags message is ignored: the barrier shows no reply came.
    s.send('frontend_flags', { type: 'feature_flags', data: { supports_preview_metadata: false } });
    await s.settle('frontend_flags');
    await s.close('with_client_id');
    await s.close('no_client_id');
    await s.close('frontend_flags');
  },
};
