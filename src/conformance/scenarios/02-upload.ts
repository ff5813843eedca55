import { uploadImages } from '../graphs.js';
import type { ScenarioScript } from '../scenario.js';
import type { MultipartField } from '../session.js';

const image = (filename: string, data: Buffer): MultipartField => ({ name: 'image', filename, contentType: 'image/png', data });

/** POST /upload/image: dedupe, rename, overwrite, subfolders, refusals; then /view of the uploads. */
export const upload: ScenarioScript = {
  id: '02',
  name: 'upload',
  file: '02-upload.json',
  async run(s) {
    const { A, B, C } = await uploadImages();
    const post = (label: string, fields: MultipartField[]) => s.http('POST', '/upload/image', { label, multipart: fields });
    await post('new file', [image('rc_test.png', A)]);
    await post('same name, same bytes, no overwrite', [image('rc_test.png', A)]);
    await post('same name, different bytes, no overwrite', [image('rc_test.png', B)]);
    await post('overwrite=true', [image('rc_test.png', B), { name: 'overwrite', value: 'true' }]);
    await post('overwrite=true back to image A (used by scenario 3)', [image('rc_test.png', A), { name: 'overwrite', value: 'true' }]);
    await post('into a subfolder', [image('rc_sub.png', C), { name: 'subfolder', value: 'fixture/sub' }]);
    await post('type=temp', [image('rc_temp.png', C), { name: 'type', value: 'temp' }]);
    await post('subfolder escaping input dir', [image('rc_evil.png', C), { name: 'subfolder', value: '../../escape' }]);
    await post('no image part', [{ name: 'subfolder', value: 'x' }]);
    await s.http('GET', '/view?filename=rc_test.png&type=input');
    await s.http('GET', '/view?filename=rc_test%20(1).png&type=input');
    await s.http('GET', '/view?filename=rc_sub.png&subfolder=fixture/sub&type=input');
    await s.http('GET', '/view?filename=rc_temp.png&type=temp');
    await s.http('GET', '/view?filename=rc_sub.png%20%5Binput%5D&subfolder=fixture/sub', { label: 'annotated filename "name [input]" overrides type' });
    await s.http('GET', '/object_info/LoadImage', { label: 'combo now lists the uploads' });
  },
};
