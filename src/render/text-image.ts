import sharp from 'sharp';
import { fontDescription, fontPath } from '../platform/font.js';

export interface TextImage {
  input: Buffer;
  width: number;
  height: number;
}

export function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts `text` to about `maxWidth` pixels of DejaVu Sans at `fontSize`, ending with … when cut. */
export function fitLine(text: string, fontSize: number, maxWidth: number): string {
  const maxChars = Math.max(4, Math.floor(maxWidth / (fontSize * 0.6)));
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1).trimEnd()}…`;
}

/**
 * One line of text in the bundled font as a transparent PNG, cropped to `maxWidth`×`maxHeight`
 * so it always fits where it is composited. Empty text gives undefined.
 */
export async function renderTextLine(
  text: string,
  options: { fontSize: number; maxWidth: number; maxHeight: number; color?: string; bold?: boolean },
): Promise<TextImage | undefined> {
  if (!text.trim()) return undefined;
  const weight = options.bold ? ' weight="bold"' : '';
  const { data, info } = await sharp({
    text: {
      text: `<span foreground="${options.color ?? '#ffffff'}"${weight}>${escapeMarkup(text)}</span>`,
      font: fontDescription(options.fontSize),
      fontfile: fontPath(options.bold ? 'bold' : 'regular'),
      rgba: true,
    },
  })
    .png()
    .toBuffer({ resolveWithObject: true });
  const width = Math.min(info.width, options.maxWidth);
  const height = Math.min(info.height, options.maxHeight);
  if (width === info.width && height === info.height) return { input: data, width, height };
  const cropped = await sharp(data).extract({ left: 0, top: 0, width, height }).png().toBuffer();
  return { input: cropped, width, height };
}
