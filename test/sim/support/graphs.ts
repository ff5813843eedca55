/** The graphs of the recorded transcripts (test/fixtures/comfyui/), reused against the emulator. */
export const imageGraph = (width = 128) => ({
  '1': { class_type: 'LoadImage', inputs: { image: 'rc_test.png' } },
  '2': { class_type: 'ImageScale', inputs: { image: ['1', 0], upscale_method: 'nearest-exact', width, height: 96, crop: 'disabled' } },
  '3': { class_type: 'ImageInvert', inputs: { image: ['2', 0] } },
  '4': { class_type: 'SaveImage', inputs: { images: ['3', 0], filename_prefix: 'fixture/rc' } },
  '5': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } },
});

export const blurGraph = (color: number, blurs = 2) => {
  const graph: Record<string, { class_type: string; inputs: Record<string, unknown> }> = {
    '1': { class_type: 'EmptyImage', inputs: { width: 64, height: 64, batch_size: 1, color } },
  };
  let prev = '1';
  for (let i = 0; i < blurs; i++) {
    const id = String(10 + i);
    graph[id] = { class_type: 'ImageBlur', inputs: { image: [prev, 0], blur_radius: 15, sigma: 5 } };
    prev = id;
  }
  graph['90'] = { class_type: 'SaveImage', inputs: { images: [prev, 0], filename_prefix: 'slow/rc' } };
  return graph;
};

export const tinyGraph = (color: number, prefix = 'tiny/rc') => ({
  '1': { class_type: 'EmptyImage', inputs: { width: 16, height: 16, batch_size: 1, color } },
  '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: prefix } },
});
