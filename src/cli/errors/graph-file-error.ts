import { StoryCoreError } from '../../errors/storycore-error.js';

export type GraphFileErrorCode =
  | 'GRAPH_FILE_NOT_FOUND'
  | 'GRAPH_FILE_UNREADABLE'
  | 'GRAPH_NOT_JSON'
  | 'GRAPH_UI_FORMAT'
  | 'GRAPH_INVALID';

/** A graph file given on the command line cannot be run as an API-format prompt. */
export class GraphFileError extends StoryCoreError {
  readonly path: string;

  constructor(code: GraphFileErrorCode, path: string, message: string, hint: string, cause?: unknown) {
    super(code, message, { hint, cause });
    this.path = path;
  }
}
