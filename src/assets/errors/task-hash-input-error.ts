import { StoryCoreError } from '../../errors/storycore-error.js';

/** A task's parameters hold a value that has no canonical JSON form (NaN, a Map, a function…). */
export class TaskHashInputError extends StoryCoreError {
  readonly path: string;

  constructor(path: string, problem: string) {
    super('TASK_HASH_INPUT_INVALID', `task parameter ${path || '(root)'} ${problem}`, {
      hint: 'task parameters must be plain JSON (objects, arrays, strings, finite numbers, booleans, null)',
    });
    this.path = path;
  }
}
