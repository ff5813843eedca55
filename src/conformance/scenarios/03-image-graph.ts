import { imageGraph } from '../graphs.js';
import type { ScenarioScript } from '../scenario.js';
import { connectFrontend, outputFile, viewPath } from './common.js';

/** A valid image-only graph, first run: the full message sequence, history, /view and its refusals. */
export const imageGraphScenario: ScenarioScript = {
  id: '03',
  name: 'image-graph',
  file: '03-image-graph.json',
  async run(s) {
    await connectFrontend(s, 'client', 'fixture-s3-client');
    const { promptId } = await s.submit({ prompt: imageGraph(), client_id: 'fixture-s3-client' }, 'valid graph');
    await s.waitForEnd('client', promptId);
    const history = (await s.http('GET', `/history/${promptId}`)).json;
    const saved = outputFile(history, promptId, '4');
    await s.http('GET', viewPath(saved), { label: 'output of node 4' });
    await s.http('GET', viewPath(outputFile(history, promptId, '5')), { label: 'output of node 5' });
    await s.http('GET', viewPath(saved, '&preview=webp;50'), { label: 'preview=webp;50' });
    await s.http('GET', viewPath(saved, '&channel=a'), { label: 'channel=a' });
    await s.http('GET', '/view?filename=../../etc/passwd', { label: 'path traversal in filename' });
    await s.http('GET', '/view?filename=..%2F..%2Fetc%2Fpasswd&type=output', { label: 'path traversal in filename (url-encoded)' });
    await s.http('GET', '/view?filename=passwd&subfolder=../../../../etc&type=output', { label: 'path traversal in subfolder' });
    await s.http('GET', '/view?filename=/etc/passwd', { label: 'absolute filename' });
    await s.http('GET', `/view?filename=${saved?.filename ?? 'rc_00001_.png'}&type=bogus`, { label: 'bad type' });
    await s.http('GET', '/view?filename=nope.png', { label: 'missing file' });
    await s.http('GET', '/view', { label: 'no filename' });
    await s.http('GET', '/history');
    await s.http('GET', '/history?max_items=1');
    await s.http('GET', '/history/no-such-id', { label: 'unknown id' });
    await s.http('GET', '/queue');
    await s.http('GET', '/prompt');
    await s.close('client');
  },
};
