export { runConformance, formatTable, formatDifference, type ConformanceOptions, type ConformanceReport, type ConformanceRow } from './run-conformance.js';
export { runScenario, findScenario, loadReference, defaultFixturesDir, type RunScenarioOptions } from './run-scenario.js';
export { compareTranscripts, type CompareOptions, type Difference } from './compare.js';
export { checkClientParse, rebuildBinaryFrame, type ClientParseResult } from './client-parse.js';
export { transcriptSchema, readTranscript, type Transcript, type TranscriptEvent } from './transcript.js';
export { scenarios } from './scenarios/index.js';
export type { ScenarioScript, AllowedDifference, EmulatorKnobs } from './scenario.js';
export { IdBook } from './id-book.js';
