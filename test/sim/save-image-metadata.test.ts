import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DifferentialCase } from '../../src/conformance/differential/cases.js';
import { differentialInputs, type DifferentialInput } from '../../src/conformance/differential/inputs.js';
import { DifferentialTarget, type Observation } from '../../src/conformance/differential/observe.js';
import { startEmulator, type Emulator } from '../../src/sim/index.js';

let emu: Emulator;
let target: DifferentialTarget;
let inputs: DifferentialInput[];
let run: Observation;

const CASE: DifferentialCase = {
  id: 'meta',
  nodes: 'LoadImage, ImageBlur, SaveImage',
  kind: 'valid',
  graph: {
    '1': { class_type: 'LoadImage', inputs: { image: 'diff-small.png' } },
    '2': { class_type: 'ImageBlur', inputs: { image: ['1', 0], blur_radius: 1, sigma: 2 } },
    '9': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'meta/x' } },
  },
};

beforeAll(async () => {
  emu = await startEmulator({ profile: 'cpu', timeScale: 0 });
  target = await DifferentialTarget.open(emu.url);
  inputs = await differentialInputs();
  run = await target.run(CASE, inputs, 30_000);
});

afterAll(async () => {
  await target.close();
  await emu.close();
});

describe('SaveImage writes the PNG text chunks real ComfyUI writes, and nothing else', () => {
  it('IHDR, tEXt prompt, tEXt workflow, IDAT, IEND (no pHYs)', () => {
    const png = run.images[0]!.png!;
    expect(png.types).toEqual(['IHDR', 'tEXt', 'tEXt', 'IDAT', 'IEND']);
    expect(Object.keys(png.text)).toEqual(['prompt', 'workflow']);
  });

  it('prompt: json.dumps of the queued prompt, floats as floats, is_changed = the file hash', () => {
    const file = inputs.find((i) => i.name === 'diff-small.png')!.png;
    const hash = createHash('sha256').update(file).digest('hex');
    expect(run.images[0]!.png!.text.prompt).toBe(
      `{"1": {"class_type": "LoadImage", "inputs": {"image": "meta-diff-small.png"}, "is_changed": ["${hash}"]}, ` +
        '"2": {"class_type": "ImageBlur", "inputs": {"image": ["1", 0], "blur_radius": 1, "sigma": 2.0}}, ' +
        '"9": {"class_type": "SaveImage", "inputs": {"images": ["2", 0], "filename_prefix": "meta/x"}}}',
    );
  });

  it('workflow: each extra_pnginfo entry as json.dumps writes it (non-ASCII escaped)', () => {
    expect(run.images[0]!.png!.text.workflow).toBe('{"last_node_id": 9, "nodes": [], "links": [], "version": 0.4, "extra": {"note": "diff\\u00e9rentiel \\u2713"}}');
  });
});

describe('/view?preview= encodes like Pillow', () => {
  it('JPEG starts with Pillow\'s JFIF APP0 and uses its quantisation tables and 4:2:0', () => {
    const jpeg = run.images[0]!.previews!['jpeg;80']!;
    expect(jpeg.contentType).toBe('image/jpeg');
    expect(jpeg.disposition).toBe('filename="x_00001_.png"');
    expect(jpeg.layout).toMatch(/^jpeg e0:4a46494600010100000100010000 db:0006040506050406/);
    expect(jpeg.layout).toContain('c0:080020001803012200021101031101');
  });

  it('WebP of an opaque image is a simple VP8 file', () => {
    expect(run.images[0]!.previews!['webp;90']!.layout).toBe('webp VP8 ');
  });
});

describe('SaveImageWebsocket sends the real frames', () => {
  it('each image of the batch as a PNG of its pixels (not a placeholder colour), without text chunks', async () => {
    const { SocketLog, postJson } = await import('./support/socket-log.js');
    const { pngChunks } = await import('../../src/conformance/differential/png-chunks.js');
    const sharp = (await import('sharp')).default;
    const socket = await SocketLog.open(emu.url, { clientId: 'ws-real', flags: null });
    const graph = {
      '1': { class_type: 'LoadImage', inputs: { image: 'meta-diff-gradient.png' } },
      '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
      '3': { class_type: 'ImageBatch', inputs: { image1: ['1', 0], image2: ['2', 0] } },
      '4': { class_type: 'SaveImageWebsocket', inputs: { images: ['3', 0] } },
    };
    const id = ((await postJson(emu.url, '/prompt', { prompt: graph, client_id: 'ws-real' })).json as { prompt_id: string }).prompt_id;
    await socket.waitDone(id);
    const frames = socket.frames.filter((f) => f.kind === 'binary').map((f) => (f.kind === 'binary' ? f.bytes.subarray(8) : Buffer.alloc(0)));
    expect(frames).toHaveLength(2);
    const source = await sharp(inputs.find((i) => i.name === 'diff-gradient.png')!.png).raw().toBuffer();
    const first = await sharp(frames[0]!).raw().toBuffer();
    const second = await sharp(frames[1]!).raw().toBuffer();
    expect(first.equals(source)).toBe(true);
    // 1 − x in float32, then SaveImage's truncation: 255 − v, or one less where 255·(1 − v/255) lands just below an integer.
    expect(second.every((v, i) => 255 - source[i]! - v === 0 || 255 - source[i]! - v === 1)).toBe(true);
    expect(pngChunks(frames[0]!)?.types).toEqual(['IHDR', 'IDAT', 'IEND']);
    socket.close();
  });
});
