import { describe, expect, it } from 'vitest';
import { inventoryFromObjectInfo } from '../../src/catalog/preflight/index.js';
import { defaultObjectInfo } from '../../src/comfy/object-info/load.js';
import { workerViewFromInventory } from '../../src/scheduler/router/worker-view.js';

describe('router view of a worker with a class the client could not parse', () => {
  it('still counts the class as present: the worker has it and ComfyUI runs it', () => {
    const inventory = inventoryFromObjectInfo(defaultObjectInfo(), {
      name: 'w',
      models: {},
      unreadableNodes: [{ name: 'ControlNetPreprocessorSelector', problem: 'output[0]: expected string, received array' }],
    });
    const view = workerViewFromInventory(inventory);
    expect(view.nodeClasses.has('ControlNetPreprocessorSelector')).toBe(true);
    expect(view.nodeClasses.has('KSampler')).toBe(true);
    expect(view.nodeClasses.has('NoSuchNode')).toBe(false);
  });
});
