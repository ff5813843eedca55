import sharp, { type OverlayOptions } from 'sharp';
import { access } from 'node:fs/promises';
import { writeAtomically } from './atomic-output.js';
import { RenderError } from './errors/render-error.js';
import { wrapCaption } from './caption.js';
import { fitLine, renderTextLine } from './text-image.js';

export interface ContactSheetShot {
  id: string;
  /** Keyframe (or any still) of the shot; a missing one gets a labelled placeholder tile. */
  image?: string;
  durationSec?: number;
  /** e.g. "wide · eye-level · static". */
  camera?: string;
  /** The shot's action; its first words go under the thumbnail. */
  action?: string;
  /** Extra lines under the thumbnail, after the action. */
  lines?: string[];
}

export interface ContactSheetOptions {
  out: string;
  columns?: number;
  thumbWidth?: number;
  /** Width / height of each thumbnail box; images are fitted inside, letterboxed. Default 16/9. */
  thumbAspect?: number;
  title?: string;
}

export interface ContactSheetLayout {
  columns: number;
  rows: number;
  thumbWidth: number;
  thumbHeight: number;
  fontSize: number;
  lineHeight: number;
  captionLines: number;
  margin: number;
  gap: number;
  titleHeight: number;
  width: number;
  height: number;
}

const BACKGROUND = { r: 24, g: 24, b: 27, alpha: 1 };
const CAPTION_LINES = 3;

/** Pixel layout of a sheet of `count` shots: pure, so callers can size a page before rendering. */
export function contactSheetLayout(count: number, options: Omit<ContactSheetOptions, 'out'> = {}): ContactSheetLayout {
  const columns = Math.max(1, Math.min(options.columns ?? 4, Math.max(1, count)));
  const thumbWidth = Math.max(64, Math.round(options.thumbWidth ?? 320));
  const thumbHeight = Math.round(thumbWidth / (options.thumbAspect ?? 16 / 9));
  const fontSize = Math.max(11, Math.round(thumbWidth / 22));
  const lineHeight = Math.round(fontSize * 1.45);
  const margin = Math.round(fontSize * 1.5);
  const gap = Math.round(fontSize * 1.2);
  const titleHeight = options.title ? Math.round(fontSize * 2.8) : 0;
  const rows = Math.max(1, Math.ceil(count / columns));
  const cellHeight = thumbHeight + Math.round(fontSize * 0.5) + CAPTION_LINES * lineHeight;
  return {
    columns,
    rows,
    thumbWidth,
    thumbHeight,
    fontSize,
    lineHeight,
    captionLines: CAPTION_LINES,
    margin,
    gap,
    titleHeight,
    width: 2 * margin + columns * thumbWidth + (columns - 1) * gap,
    height: 2 * margin + titleHeight + rows * cellHeight + (rows - 1) * gap,
  };
}

function firstWords(text: string, count: number): string {
  const words = text.trim().split(/\s+/);
  return words.length <= count ? words.join(' ') : `${words.slice(0, count).join(' ')}…`;
}

async function thumbnail(shot: ContactSheetShot, layout: ContactSheetLayout): Promise<Buffer> {
  const { thumbWidth: width, thumbHeight: height } = layout;
  if (shot.image) {
    try {
      await access(shot.image);
      return await sharp(shot.image).resize(width, height, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 1 } }).flatten().png().toBuffer();
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new RenderError('RENDER_IMAGE_FAILED', `shot ${shot.id}: cannot read image ${shot.image}`, { shotId: shot.id, hint: 'render the keyframe again; the file is not a readable image', cause });
      }
    }
  }
  // A visible placeholder, not a silent gap: the sheet shows which shots have no image yet.
  const label = await renderTextLine('no image yet', { fontSize: layout.fontSize, maxWidth: width - 8, maxHeight: height - 8, color: '#a1a1aa' });
  return sharp({ create: { width, height, channels: 3, background: { r: 63, g: 63, b: 70 } } })
    .composite(label ? [{ input: label.input, left: Math.round((width - label.width) / 2), top: Math.round((height - label.height) / 2) }] : [])
    .png()
    .toBuffer();
}

function captionLines(shot: ContactSheetShot, maxChars: number): { text: string; bold: boolean; color: string }[] {
  const header = [shot.id, shot.durationSec !== undefined ? `${shot.durationSec.toFixed(1)}s` : undefined, shot.camera].filter(Boolean).join(' · ');
  const lines = [{ text: header, bold: true, color: '#ffffff' }];
  const extra = (shot.lines ?? []).slice(0, CAPTION_LINES - 1);
  if (shot.action) {
    // The action gets every line the extra lines leave free, at least one.
    const room = Math.max(1, CAPTION_LINES - 1 - extra.length);
    for (const text of wrapCaption(firstWords(shot.action, 16), maxChars, room)) lines.push({ text, bold: false, color: '#d4d4d8' });
  }
  for (const text of extra) lines.push({ text, bold: false, color: '#a1a1aa' });
  return lines.slice(0, CAPTION_LINES);
}

/**
 * A PNG storyboard: a title, then a grid of shot thumbnails, each with its id, duration,
 * camera and the first words of its action underneath. Text uses the bundled font, so the
 * sheet looks the same on a machine without fonts.
 */
export async function renderContactSheet(shots: ContactSheetShot[], options: ContactSheetOptions): Promise<string> {
  const layout = contactSheetLayout(shots.length, options);
  const layers: OverlayOptions[] = [];
  if (options.title) {
    const titleSize = Math.round(layout.fontSize * 1.6);
    const title = await renderTextLine(fitLine(options.title, titleSize, layout.width - 2 * layout.margin), {
      fontSize: titleSize, maxWidth: layout.width - 2 * layout.margin, maxHeight: layout.titleHeight, bold: true,
    });
    if (title) layers.push({ input: title.input, left: layout.margin, top: layout.margin });
  }
  const cellHeight = layout.thumbHeight + Math.round(layout.fontSize * 0.5) + layout.captionLines * layout.lineHeight;
  for (const [index, shot] of shots.entries()) {
    const left = layout.margin + (index % layout.columns) * (layout.thumbWidth + layout.gap);
    const top = layout.margin + layout.titleHeight + Math.floor(index / layout.columns) * (cellHeight + layout.gap);
    layers.push({ input: await thumbnail(shot, layout), left, top });
    for (const [lineIndex, line] of captionLines(shot, Math.floor(layout.thumbWidth / (layout.fontSize * 0.6))).entries()) {
      const image = await renderTextLine(fitLine(line.text, layout.fontSize, layout.thumbWidth), {
        fontSize: layout.fontSize, maxWidth: layout.thumbWidth, maxHeight: layout.lineHeight, bold: line.bold, color: line.color,
      });
      if (image) layers.push({ input: image.input, left, top: top + layout.thumbHeight + Math.round(layout.fontSize * 0.5) + lineIndex * layout.lineHeight });
    }
  }
  await writeAtomically(options.out, async (temp) => {
    await sharp({ create: { width: layout.width, height: layout.height, channels: 4, background: BACKGROUND } })
      .composite(layers)
      .png()
      .toFile(temp);
  });
  return options.out;
}
