import { join, resolve } from 'node:path';

/**
 * Where everything lives inside a project directory. Objects fan out by the first two hex
 * digits (`objects/3f/3fa1…`), as git does, so no directory grows past a few thousand entries;
 * the file name is still the full sha256, so a listing is self-describing.
 */
export class StoreLayout {
  readonly project: string;
  readonly root: string;
  readonly objects: string;
  readonly manifests: string;
  readonly tmp: string;
  readonly writers: string;
  readonly index: string;
  readonly lock: string;
  /** Task hashes gc always keeps, one per line (`#` comments). */
  readonly pins: string;
  readonly renders: string;
  readonly provenance: string;
  readonly attribution: string;

  /** `dataDir` is `paths.dataDir`: relative to the project, `.storycore` by default. */
  constructor(projectDir: string, dataDir = '.storycore') {
    this.project = resolve(projectDir);
    this.root = resolve(this.project, dataDir);
    this.objects = join(this.root, 'objects');
    this.manifests = join(this.root, 'manifests');
    this.tmp = join(this.root, 'tmp');
    this.writers = join(this.root, 'writers');
    this.index = join(this.root, 'index.sqlite');
    this.lock = join(this.root, 'lock');
    this.pins = join(this.root, 'pins');
    this.renders = join(this.project, 'renders');
    this.provenance = join(this.project, 'provenance.json');
    this.attribution = join(this.project, 'ATTRIBUTION.md');
  }

  objectPath(sha256: string): string {
    return join(this.objects, sha256.slice(0, 2), sha256);
  }

  manifestPath(sha256: string): string {
    return join(this.manifests, `${sha256}.json`);
  }
}

/** A layout as given, or the default one of a project folder. */
export function layoutOf(project: string | StoreLayout): StoreLayout {
  return typeof project === 'string' ? new StoreLayout(project) : project;
}
