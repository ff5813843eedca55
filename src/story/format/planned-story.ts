import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import type { Story } from './schema.js';
import { saveStory, type SaveStoryOptions } from './save.js';
import { StoryEditedError } from './errors/story-edited-error.js';
import { isUnedited } from './unedited-marker.js';

/** A free `<path>.bak`, `<path>.1.bak`, … name. */
function backupPath(path: string): string {
  for (let i = 0; ; i++) {
    const candidate = i === 0 ? `${path}.bak` : `${path}.${i}.bak`;
    if (!existsSync(candidate)) return candidate;
  }
}

export interface ReplaceStoryOptions extends SaveStoryOptions {
  /** Replace a story that was edited since StoryCore wrote it (it is kept as a backup first). */
  force?: boolean;
  /** How the file is named in the error (default: the path). */
  displayName?: string;
  /** The error's hint, when the command has no --force/--out. */
  hint?: string;
}

/**
 * Writes a planned story to `path`, which may hold an earlier plan. An earlier plan nobody edited
 * is replaced; an edited one (or a hand-written file) is refused with StoryEditedError unless
 * `force`, and then copied to a `.bak` first. Returns the backup's path when one was made.
 */
export function savePlannedStory(story: Story, path: string, options: ReplaceStoryOptions = {}): { backup?: string } {
  let backup: string | undefined;
  if (existsSync(path) && !isUnedited(readFileSync(path, 'utf8'))) {
    if (!options.force) throw new StoryEditedError(options.displayName ?? path, options.hint);
    backup = backupPath(path);
    copyFileSync(path, backup);
  }
  saveStory(story, path, { ...(options.schema !== undefined ? { schema: options.schema } : {}), unedited: true });
  return backup ? { backup } : {};
}
