import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { InputPathError } from './errors/input-path-error.js';

/**
 * Where paths may point: inside the project folder, or inside a folder the config lists in
 * `paths.allowedDirs`. Relative allowed folders are relative to the project folder.
 */
export interface PathScope {
  projectDir: string;
  allowedDirs?: readonly string[];
}

export interface ScopedPathOptions {
  /** The file must exist (an input); otherwise the nearest existing parent is checked (an output). */
  mustExist?: boolean;
}

/** The config key that widens the scope, named in every hint. */
export const ALLOWED_DIRS_KEY = 'paths.allowedDirs';

/**
 * Resolves `raw` (relative to the project folder) and checks it stays inside the scope, both
 * as written (`../`, absolute paths) and on disk (symlinks are followed with realpath, so a
 * link inside the project that points out is refused too). Returns the absolute path.
 * Every place a path enters StoryCore (story references, config paths, `--out`,
 * `--object-info`, `--models`, templates import) goes through this one rule.
 *
 * @example resolveProjectPath('refs/mara.png', { projectDir: '/p' }, 'characters[0].references[0]', { mustExist: true })
 */
export function resolveProjectPath(raw: string, scope: PathScope, field: string, options: ScopedPathOptions = {}): string {
  if (raw.includes('\0')) throw new InputPathError('PATH_UNREADABLE', field, 'the path contains a NUL character', 'remove it; paths are plain file names');
  const projectDir = resolve(scope.projectDir);
  const roots = [projectDir, ...(scope.allowedDirs ?? []).map((dir) => resolve(projectDir, dir))];
  const absolute = resolve(projectDir, raw);
  if (!roots.some((root) => isInside(absolute, root))) {
    throw new InputPathError('PATH_OUTSIDE_PROJECT', field, `${raw} is outside the project folder ${projectDir}`, outsideHint(absolute));
  }
  const existing = options.mustExist ? absolute : nearestExisting(absolute);
  let real: string;
  try {
    real = realpathSync(existing);
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new InputPathError(
      'PATH_UNREADABLE',
      field,
      missing ? `${raw} does not exist` : `cannot read ${raw}: ${(cause as Error).message}`,
      missing ? `check the path (relative paths start at ${projectDir})` : 'check its permissions',
      cause,
    );
  }
  const realRoots = roots.map(realOrSelf);
  if (!realRoots.some((root) => isInside(real, root))) {
    throw new InputPathError('PATH_OUTSIDE_PROJECT', field, `${raw} is a link to ${real}, outside the project folder ${projectDir}`, outsideHint(real));
  }
  return absolute;
}

/** True when `path` is `root` or below it (both absolute). */
export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function outsideHint(absolute: string): string {
  return `use a file inside the project folder, or add ${dirname(absolute)} to ${ALLOWED_DIRS_KEY} in the config`;
}

function nearestExisting(path: string): string {
  let current = path;
  // lstat, not exists: a dangling link is still a link, and realpath then refuses it.
  while (!lstatSync(current, { throwIfNoEntry: false })) {
    const parent = dirname(current);
    if (parent === current) return current;
    current = parent;
  }
  return current;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
