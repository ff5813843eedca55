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

/** What a fallback font adds to the bundled DejaVu Sans, which has no CJK and no emoji glyphs. */
export type FontCoverage = 'cjk' | 'emoji';

interface FallbackCandidate {
  family: string;
  covers: FontCoverage;
  paths: readonly string[];
}

/**
 * Fonts looked for, in order, after DejaVu Sans: Debian's fonts-noto-cjk and
 * fonts-noto-color-emoji, their Fedora/Arch places, and macOS's own. Fontconfig (used by sharp's
 * text rendering) already knows these folders, so naming the family is enough to use them.
 */
const FALLBACKS: readonly FallbackCandidate[] = [
  {
    family: 'Noto Sans CJK SC',
    covers: 'cjk',
    paths: [
      '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
      '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
      '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
      '/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc',
    ],
  },
  { family: 'PingFang SC', covers: 'cjk', paths: ['/System/Library/Fonts/PingFang.ttc'] },
  {
    family: 'Noto Color Emoji',
    covers: 'emoji',
    paths: ['/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf', '/usr/share/fonts/noto/NotoColorEmoji.ttf', '/usr/share/fonts/google-noto-emoji/NotoColorEmoji.ttf'],
  },
  { family: 'Apple Color Emoji', covers: 'emoji', paths: ['/System/Library/Fonts/Apple Color Emoji.ttc'] },
];

export interface FontChain {
  /** Family names in fallback order, DejaVu Sans first. */
  families: string[];
  /** The fallback fonts found, with the file each was found at. */
  fallbacks: Array<{ family: string; covers: FontCoverage; path: string }>;
  /** Coverage no installed font gives (text in those scripts renders as boxes). */
  missing: FontCoverage[];
}

let chain: FontChain | undefined;

/** The bundled font, then the first installed CJK font and the first emoji font (`exists` for tests). */
export function fontChain(exists: (path: string) => boolean = existsSync): FontChain {
  if (exists === existsSync && chain) return chain;
  const fallbacks: FontChain['fallbacks'] = [];
  for (const covers of ['cjk', 'emoji'] as const) {
    for (const candidate of FALLBACKS.filter((f) => f.covers === covers)) {
      const path = candidate.paths.find((p) => exists(p));
      if (!path) continue;
      fallbacks.push({ family: candidate.family, covers, path });
      break;
    }
  }
  const found: FontChain = {
    families: [FONT_FAMILY, ...fallbacks.map((f) => f.family)],
    fallbacks,
    missing: (['cjk', 'emoji'] as const).filter((c) => !fallbacks.some((f) => f.covers === c)),
  };
  if (exists === existsSync) chain = found;
  return found;
}

/** Pango font description of the chain at `px` pixels: `DejaVu Sans, Noto Sans CJK SC, Noto Color Emoji 14px`. */
export function fontDescription(px: number): string {
  return `${fontChain().families.join(', ')} ${px}px`;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;
const EMOJI = /\p{Extended_Pictographic}/u;

/** Which fallback coverage `text` needs beyond DejaVu Sans. */
export function coverageNeeded(text: string): FontCoverage[] {
  return [...(CJK.test(text) ? (['cjk'] as const) : []), ...(EMOJI.test(text) ? (['emoji'] as const) : [])];
}

/** One line saying which glyphs of `text` will show as boxes because no font has them, or undefined. */
export function missingGlyphsNote(text: string, fonts: FontChain = fontChain()): string | undefined {
  const missing = coverageNeeded(text).filter((c) => fonts.missing.includes(c));
  if (missing.length === 0) return undefined;
  const what = missing.map((c) => (c === 'cjk' ? 'CJK (Chinese, Japanese, Korean)' : 'emoji')).join(' and ');
  const packages = missing.map((c) => (c === 'cjk' ? 'fonts-noto-cjk' : 'fonts-noto-color-emoji')).join(' ');
  return `no installed font has ${what} glyphs, so they render as boxes: install them (Debian/Ubuntu: apt-get install ${packages})`;
}
