export * from './types.js';
export { Router, type RouterOptions, type RoutePlan } from './router.js';
export { routableTask, builtPrecision, type RoutableTaskOptions } from './routable-task.js';
export { feasibility, splitFeasible, type Feasibility } from './feasibility.js';
export { workerViewFromInventory, profileForGpu, type WorkerRuntimeState } from './worker-view.js';
export { CostEstimator } from './cost-estimator.js';
export { applyRun, modelBytes, type LoadPlan, type Residency } from './residency.js';
export { renderExplanation, type Explanation, type WorkerVerdict } from './explain.js';
export { NoFeasibleWorkerError } from './errors/no-feasible-worker-error.js';
