// Reads vitest's JSON report and prints the closing line CI looks for.
import { readFileSync, existsSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results.json';
if (!existsSync(file)) {
  console.log('0 passed, 1 failed');
  console.error(`no test report at ${file}: the test runner did not finish`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
// Tests against real ComfyUI 0.3.64 (files named *real-comfyui*, or titles naming "real ComfyUI"): counted apart for the closing note.
const real = (report.testResults ?? []).flatMap((file) => (file.assertionResults ?? [])
  .filter((t) => /real-comfyui/i.test(file.name ?? '') || /real ComfyUI/i.test(t.fullName ?? '')));
const realPassed = real.filter((t) => t.status === 'passed').length;
const realFailed = real.filter((t) => t.status === 'failed').length;
console.log(`real ComfyUI tests: ${real.length} run, ${realPassed} passed, ${realFailed} failed, ${real.length - realPassed - realFailed} skipped`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
