export { prepareDemoProject, DEMO_STORY_DIR, DEMO_MARKDOWN, DEMO_WORKERS, DEMO_TIME_SCALE, type DemoProject } from './story-demo.js';
export { runGraph, type GraphRunOptions, type GraphRunResult, type SavedFile } from './run-graph.js';
export { exampleGraphs, exampleModels, EXAMPLES_DIR, type ExampleGraph } from './example-graphs.js';
export type { RunProgress } from './job-progress.js';
export { RunTimeoutError } from './errors/run-timeout-error.js';
export { RunStoppedError } from './errors/run-stopped-error.js';
