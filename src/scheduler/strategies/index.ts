import { balanced } from './balanced.js';
import { bestQuality } from './best-quality.js';
import { fastest } from './fastest.js';
import { leastMemory } from './least-memory.js';
import { modelAffinity } from './model-affinity.js';
import { roundRobin } from './round-robin.js';
import type { Strategy, StrategyName } from './strategy.js';

export * from './strategy.js';
export { balanced, bestQuality, fastest, leastMemory, modelAffinity, roundRobin };

export const STRATEGIES: Readonly<Record<StrategyName, Strategy>> = {
  model_affinity: modelAffinity,
  best_quality: bestQuality,
  fastest,
  balanced,
  least_memory: leastMemory,
  round_robin: roundRobin,
};

export const DEFAULT_STRATEGY: StrategyName = 'model_affinity';
