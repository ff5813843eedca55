import { StoryCoreError } from '../../../errors/storycore-error.js';

/** A graph builder asked for an output a node class does not have. */
export class UnknownOutputError extends StoryCoreError {
  constructor(
    readonly classType: string,
    readonly output: string | number,
    readonly available: readonly string[],
  ) {
    super('GRAPH_UNKNOWN_OUTPUT', `${classType} has no output ${JSON.stringify(output)} (outputs: ${available.map((n, i) => `${i} ${n}`).join(', ') || 'none'})`, {
      hint: 'reference the output by its index or by one of the names listed',
    });
  }
}
