import { isAbsolute, relative } from 'node:path';

/** A path relative to the working directory when it lies inside it, else absolute. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
