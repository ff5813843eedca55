import type { AnyTemplate, Precision } from '../../catalog/templates/template.js';
import { sizeBucket } from '../timings/size-bucket.js';
import type { RoutableTask } from './types.js';

export interface RoutableTaskOptions {
  id: string;
  priority?: number;
  dependsOn?: string[];
}

/** The precision a set of built model files is at (the diffusion model's, which dominates VRAM). */
export function builtPrecision(files: readonly string[], needs: Partial<Record<Precision, number>>): Precision {
  const names = files.join(' ').toLowerCase();
  const guess: Precision = /fp8|e4m3|e5m2/.test(names) ? 'fp8' : /bf16/.test(names) ? 'bf16' : /fp32/.test(names) ? 'fp32' : 'fp16';
  if (needs[guess] !== undefined) return guess;
  const known = Object.keys(needs) as Precision[];
  return known[0] ?? guess;
}

/**
 * A task for the router from a catalogue template and its parameters: the models and node
 * classes the built graph uses, its VRAM need by precision, its cost estimate and size bucket.
 *
 * @example routableTask(templateById('wan22-i2v-14b'), { image: 'shot-03.png' }, { id: 'clip-03', dependsOn: ['key-03'] })
 */
export function routableTask(template: AnyTemplate, params: Record<string, unknown>, options: RoutableTaskOptions): RoutableTask {
  const requirements = template.requirements(params);
  const estimate = template.estimate(params);
  const output = template.output(params);
  const files = requirements.models.map((m) => m.file);
  return {
    id: options.id,
    templateId: template.id,
    params,
    models: requirements.models,
    nodeClasses: requirements.nodes.map((n) => n.classType),
    vramNeedGb: estimate.vramGb,
    precision: builtPrecision(files, estimate.vramGb),
    estimate,
    bucket: sizeBucket({ width: output.width, height: output.height, frames: output.kind === 'video' ? output.frames : 1, batch: output.kind === 'images' ? output.frames : 1 }),
    priority: options.priority ?? 0,
    dependsOn: options.dependsOn ?? [],
  };
}
