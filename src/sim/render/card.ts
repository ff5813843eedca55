import sharp, { type OverlayOptions } from 'sharp';
import { fontChain, fontPath } from '../../platform/font.js';
import type { CardSpec } from '../execution/values.js';
import { GLYPH_HEIGHT, stampText, stampWidth } from './digits.js';

/**
 * Draws storyboard cards: a coloured background keyed by the prompt text, the text itself,
 * and a footer naming node, seed, size and model. The frame-independent base is rendered
 * once per unique card (cached as raw RGB); frames only get their number stamped in.
 */
export class CardRenderer {
  private readonly bases = new Map<string, Promise<Buffer>>();

  constructor(private readonly maxCached = 64) {}

  /** Raw RGB (width × height × 3) of one frame of `spec`, numbered when `total` > 1. */
  async frame(spec: CardSpec, total: number): Promise<Buffer> {
    const base = await this.base(spec);
    if (total <= 1) return base;
    const copy = Buffer.from(base);
    const label = `${spec.frame + 1}/${total}`;
    const scale = Math.max(1, Math.floor(spec.height / 90));
    const x = spec.width - stampWidth(label, scale) - 2 * scale;
    const y = spec.height - GLYPH_HEIGHT * scale - 2 * scale;
    stampText(copy, spec.width, spec.height, label, x, y, scale);
    return copy;
  }

  /** The cached base card (the caller must not mutate it). */
  base(spec: CardSpec): Promise<Buffer> {
    const key = JSON.stringify([spec.text, spec.negative, spec.nodeId, spec.classType, spec.seed, spec.width, spec.height, spec.model]);
    let hit = this.bases.get(key);
    if (!hit) {
      hit = renderBase(spec);
      hit.catch(() => this.bases.delete(key));
      this.bases.set(key, hit);
      if (this.bases.size > this.maxCached) this.bases.delete(this.bases.keys().next().value!);
    }
    return hit;
  }
}

function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A dark, saturated colour that is stable for a given text. */
export function cardColor(text: string): [number, number, number] {
  let h = 0;
  for (let i = 0; i < text.length; i += 1) h = (Math.imul(h, 31) + text.charCodeAt(i)) >>> 0;
  const hue = (h % 360) / 360;
  const [s, l] = [0.45, 0.22];
  const f = (n: number): number => {
    const k = (n + hue * 12) % 12;
    const a = s * Math.min(l, 1 - l);
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** Text rendered into a box with sharp's autofit, or undefined when the box is too small. */
async function textImage(markup: string, width: number, height: number): Promise<{ input: Buffer; width: number; height: number } | undefined> {
  if (width < 8 || height < 6) return undefined;
  try {
    const { data, info } = await sharp({
      text: { text: markup, font: fontChain().families.join(', '), fontfile: fontPath(), width, height, rgba: true, wrap: 'word-char' },
    })
      .png()
      .toBuffer({ resolveWithObject: true });
    return { input: data, width: info.width, height: info.height };
  } catch {
    return undefined;
  }
}

async function renderBase(spec: CardSpec): Promise<Buffer> {
  const { width, height } = spec;
  const [r, g, b] = cardColor(spec.text);
  const margin = Math.max(1, Math.round(Math.min(width, height) * 0.04));
  const footerH = Math.max(6, Math.round(height * 0.1));
  const bodyH = height - footerH - 3 * margin;
  const body = spec.text.trim() === '' ? '<i>(no prompt)</i>' : escapeMarkup(spec.text.slice(0, 600));
  const footer = [
    `#${spec.nodeId} ${spec.classType}`,
    spec.seed === undefined ? undefined : `seed ${spec.seed}`,
    `${width}×${height}`,
    spec.model,
  ]
    .filter(Boolean)
    .join(' · ');
  const [bodyImg, footerImg] = await Promise.all([
    textImage(`<span foreground="white">${body}</span>`, width - 2 * margin, bodyH),
    textImage(`<span foreground="#d0d0d0">${escapeMarkup(footer)}</span>`, Math.round((width - 2 * margin) * 0.8), footerH),
  ]);
  const layers: OverlayOptions[] = [];
  if (bodyImg) layers.push({ input: bodyImg.input, left: margin, top: margin + Math.max(0, Math.floor((bodyH - bodyImg.height) / 2)) });
  if (footerImg) layers.push({ input: footerImg.input, left: margin, top: Math.max(0, height - margin - footerImg.height) });
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .composite(layers)
    .removeAlpha()
    .raw()
    .toBuffer();
}
