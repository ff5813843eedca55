import { afterEach, beforeEach } from 'vitest';
import { AssetStore } from '../../../src/assets/index.js';
import { tempProject } from '../fixtures/project.js';

export type TempProject = Awaited<ReturnType<typeof tempProject>>;

/**
 * Before each test: a fresh temp project with an AssetStore open on it, handed to `opened`.
 * After it: closes the store `current()` returns (a test may have reopened it) and removes the project.
 */
export function storePerTest(opened: (fresh: { project: TempProject; store: AssetStore }) => void, current: () => AssetStore): void {
  let project: TempProject;
  beforeEach(async () => {
    project = await tempProject();
    opened({ project, store: await AssetStore.open(project.dir) });
  });
  afterEach(async () => {
    await current().close();
    await project.remove();
  });
}
