import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { StoryCoreError } from '../errors/storycore-error.js';

const require = createRequire(import.meta.url);

/**
 * Path of the bundled DejaVu Sans TTF (package `dejavu-fonts-ttf`), so text renders the same
 * on a machine without system fonts: pass it as sharp's `text.fontfile`.
 */
export function fontPath(weight: 'regular' | 'bold' = 'regular'): string {
  const file = weight === 'bold' ? 'DejaVuSans-Bold.ttf' : 'DejaVuSans.ttf';
  let root: string;
  try {
    root = dirname(require.resolve('dejavu-fonts-ttf/package.json'));
  } catch (cause) {
    throw new StoryCoreError('FONT_NOT_FOUND', 'the bundled font package dejavu-fonts-ttf is not installed', {
      hint: 'reinstall StoryCore\'s dependencies: npm install',
      cause,
    });
  }
  const path = join(root, 'ttf', file);
  if (!existsSync(path)) {
    throw new StoryCoreError('FONT_NOT_FOUND', `font file ${path} is missing`, { hint: 'reinstall the package: npm install dejavu-fonts-ttf' });
  }
  return path;
}

/** The family name to pair with `fontPath()` in Pango markup / sharp's `text.font`. */
export const FONT_FAMILY = 'DejaVu Sans';
