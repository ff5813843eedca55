import { TaskIndex } from '../../../src/assets/task-index.js';

/** Opens the task index at argv[2] once and says whether it worked. */
try {
  new TaskIndex(process.argv[2]!).close();
  process.stdout.write('ok\n');
} catch (error) {
  process.stdout.write(`error: ${(error as Error).message}\n`);
}
