import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { fontDescription, fontPath } from '../platform/font.js';
import { escapeFilterValue } from './filter-escape.js';
import { escapeMarkup } from './text-image.js';

/** Caption geometry for a frame size: text about 1/20 of the height, boxed at the bottom. */
export function captionStyle(width: number, height: number): { fontSize: number; maxChars: number; margin: number; lineGap: number } {
  const fontSize = Math.max(10, Math.round(height / 20));
  // DejaVu Sans averages ~0.55 em per character; keep a 5% margin each side.
  const maxChars = Math.max(8, Math.floor((width * 0.9) / (fontSize * 0.58)));
  return { fontSize, maxChars, margin: Math.round(height / 24), lineGap: Math.round(fontSize * 0.3) };
}

/** Word-wraps to at most `maxLines` lines of `maxChars`, ending with … when text is cut. */
export function wrapCaption(text: string, maxChars: number, maxLines = 2): string[] {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (candidate.length <= maxChars || !line) {
      line = candidate.length > maxChars ? `${candidate.slice(0, maxChars - 1)}…` : candidate;
      continue;
    }
    lines.push(line);
    line = word;
    if (lines.length === maxLines) break;
  }
  if (lines.length < maxLines && line) lines.push(line);
  else if (line && lines.length === maxLines) lines[maxLines - 1] = `${lines[maxLines - 1]!.slice(0, maxChars - 1)}…`;
  return lines;
}

/**
 * The `drawtext` filter for a caption whose wrapped text is in `textFile` (a file, so the text
 * needs no escaping). The font is the bundled TTF: no fontconfig lookup, no system fonts.
 */
export async function drawtextFilter(text: string, textFile: string, width: number, height: number): Promise<string> {
  const style = captionStyle(width, height);
  await writeFile(textFile, wrapCaption(text, style.maxChars).join('\n'));
  const options = [
    `fontfile=${escapeFilterValue(fontPath())}`,
    `textfile=${escapeFilterValue(textFile)}`,
    'expansion=none',
    `fontsize=${style.fontSize}`,
    'fontcolor=white',
    `line_spacing=${style.lineGap}`,
    'box=1',
    'boxcolor=black@0.55',
    `boxborderw=${Math.round(style.fontSize / 3)}`,
    'x=(w-text_w)/2',
    `y=h-text_h-${style.margin}`,
  ];
  return `drawtext=${options.join(':')}`;
}

/**
 * A frame-sized transparent PNG with the caption boxed at the bottom, for ffmpeg builds without
 * `drawtext`: the cut overlays it instead. Same font, size and placement as `drawtextFilter`.
 */
export async function renderCaptionPng(text: string, out: string, width: number, height: number): Promise<string> {
  const style = captionStyle(width, height);
  const lines = wrapCaption(text, style.maxChars);
  const rendered = await sharp({
    text: {
      text: `<span foreground="white">${escapeMarkup(lines.join('\n'))}</span>`,
      font: fontDescription(style.fontSize),
      fontfile: fontPath(),
      rgba: true,
      align: 'center',
      spacing: style.lineGap,
    },
  })
    .png()
    .toBuffer({ resolveWithObject: true });
  const pad = Math.round(style.fontSize / 3);
  const textWidth = Math.min(rendered.info.width, width - 2 * pad);
  const textHeight = Math.min(rendered.info.height, height - 2 * pad);
  const textLayer = textWidth < rendered.info.width || textHeight < rendered.info.height
    ? await sharp(rendered.data).extract({ left: 0, top: 0, width: textWidth, height: textHeight }).png().toBuffer()
    : rendered.data;
  const boxWidth = textWidth + 2 * pad;
  const boxHeight = textHeight + 2 * pad;
  const left = Math.round((width - boxWidth) / 2);
  const top = Math.max(0, height - style.margin - textHeight - pad);
  const box = await sharp({ create: { width: boxWidth, height: boxHeight, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.55 } } }).png().toBuffer();
  await sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([
      { input: box, left, top: Math.min(top, height - boxHeight) },
      { input: textLayer, left: left + pad, top: Math.min(top, height - boxHeight) + pad },
    ])
    .png()
    .toFile(out);
  return out;
}
