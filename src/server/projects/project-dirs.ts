import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ApiError, notFound } from '../errors/api-error.js';

/** A project id: a folder name under `server.projectsDir`. Nothing that could leave it. */
export const PROJECT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function checkProjectId(id: string, field = 'params.project'): string {
  if (!PROJECT_ID.test(id)) {
    throw new ApiError(400, 'BAD_PROJECT_ID', `'${id.slice(0, 80)}' is not a project id`, {
      field, hint: 'use 1 to 63 lower-case letters, digits and dashes, starting with a letter or digit',
    });
  }
  return id;
}

/** Fails when `path` (after following symlinks) is not inside `root`. */
export function assertInside(root: string, path: string, field: string): string {
  const realRoot = realpathSync(root);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    real = resolve(path);
  }
  const rel = relative(realRoot, real);
  if (rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))) return real;
  throw new ApiError(400, 'PATH_OUTSIDE_PROJECT', 'the path leaves the project folder', { field, hint: 'name a file inside the project, without .. or symlinks that point out of it' });
}

/** The folders of the projects the server manages, one store per project. */
export class ProjectDirs {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
    mkdirSync(this.root, { recursive: true });
  }

  list(): string[] {
    return readdirSync(this.root)
      .filter((name) => PROJECT_ID.test(name) && existsSync(join(this.root, name, 'story.yaml')))
      .sort();
  }

  /** The folder of an existing project (404 otherwise). */
  dir(id: string): string {
    checkProjectId(id);
    const dir = join(this.root, id);
    if (!existsSync(join(dir, 'story.yaml')) || !statSync(dir).isDirectory()) throw notFound(`project '${id}'`, 'params.project');
    assertInside(this.root, dir, 'params.project');
    assertInside(dir, join(dir, 'story.yaml'), 'params.project');
    return dir;
  }

  exists(id: string): boolean {
    return PROJECT_ID.test(id) && existsSync(join(this.root, id, 'story.yaml'));
  }

  /** A new, empty project folder (409 when the id is taken). */
  create(id: string): string {
    checkProjectId(id, 'body.id');
    const dir = join(this.root, id);
    if (existsSync(dir)) throw new ApiError(409, 'PROJECT_EXISTS', `project '${id}' already exists`, { field: 'body.id', hint: 'choose another id, or delete the project first' });
    mkdirSync(dir);
    return dir;
  }

  remove(id: string): void {
    const dir = this.dir(id);
    rmSync(dir, { recursive: true, force: true });
  }
}
