import type { ScenarioScript } from '../scenario.js';
import { connectFrontend, outputFile, viewPath } from './common.js';

const frames = (color: number) => ({ class_type: 'EmptyImage', inputs: { width: 64, height: 64, batch_size: 8, color } });

/** EmptyImage batches → ImageBlend → CreateVideo → SaveVideo (mp4), plus SaveAnimatedWEBP. */
export const video: ScenarioScript = {
  id: '10',
  name: 'video',
  file: '10-video.json',
  async run(s) {
    const client_id = 'fixture-s10-client';
    await connectFrontend(s, 'client', client_id);
    const prompt = {
      '1': frames(16711680),
      '2': frames(255),
      '3': { class_type: 'ImageBlend', inputs: { image1: ['1', 0], image2: ['2', 0], blend_factor: 0.5, blend_mode: 'normal' } },
      '4': { class_type: 'CreateVideo', inputs: { images: ['3', 0], fps: 8 } },
      '5': { class_type: 'SaveVideo', inputs: { video: ['4', 0], filename_prefix: 'video/rc', format: 'auto', codec: 'auto' } },
      '6': {
        class_type: 'SaveAnimatedWEBP',
        inputs: { images: ['3', 0], filename_prefix: 'anim/rc', fps: 8, lossless: false, quality: 80, method: 'default' },
      },
    };
    const { promptId } = await s.submit({ prompt, client_id }, 'video graph');
    await s.waitForEnd('client', promptId);
    const history = (await s.http('GET', `/history/${promptId}`)).json;
    await s.http('GET', viewPath(outputFile(history, promptId, '5')), { label: 'output of node 5' });
    await s.http('GET', viewPath(outputFile(history, promptId, '6')), { label: 'output of node 6' });
    await s.close('client');
  },
};
