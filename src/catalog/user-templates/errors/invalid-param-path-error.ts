import { StoryCoreError } from '../../../errors/storycore-error.js';

/** A parameter names a node or input the workflow does not have, or one that cannot take a value. */
export class InvalidParamPathError extends StoryCoreError {
  readonly param: string;
  readonly path: string;

  constructor(param: string, path: string, reason: string, hint?: string) {
    super('TEMPLATE_PARAM_PATH_INVALID', `param ${param} → ${path}: ${reason}`, {
      hint: hint ?? 'write the path as <node id>.inputs.<input name>, e.g. 6.inputs.text',
    });
    this.param = param;
    this.path = path;
  }
}
