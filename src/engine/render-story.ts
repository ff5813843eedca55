import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { AssetStore, TaskOutput } from '../assets/index.js';
import { RenderError, renderContactSheet, renderFinalCut, renderShotPreview, type RenderPlanInput, type RenderProgress, type ShotAdjustment } from '../render/index.js';
import { storyFrameSize, type Shot, type Transition } from '../story/format/index.js';
import type { StoryPlan } from './story-plan.js';
import { missingGlyphsNote } from '../platform/font.js';
import { storedTasks, type StoredTask } from './stored-tasks.js';
import { inputPath } from './task-inputs.js';
import { ensureDir } from '../platform/ensure-dir.js';

/** fade-to-black in story.yaml has no length; this is the one the cut uses. */
export const FADE_TO_BLACK_SECONDS = 1;

export interface RenderStoryOptions {
  /** Folder for final.mp4, contact-sheet.png and previews/ (default `<project>/out`). */
  outDir: string;
  onProgress?(progress: RenderProgress): void;
  /** Render again even when nothing the cut is made of changed. */
  force?: boolean;
}

export interface RenderReport {
  finalPath: string;
  durationSec: number;
  frames: number;
  width: number;
  height: number;
  fps: number;
  contactSheet: string;
  previews: string[];
  provenance: string;
  attribution: string;
  /** Manifests in the store (one per stored asset). */
  manifests: number;
  /** Shots shown as a still because their clip is missing; shots with nothing at all are left out. */
  stills: string[];
  missing: string[];
  adjustments: ShotAdjustment[];
  /** True when the cut's inputs had not changed and the previous cut was kept. */
  reused: boolean;
  /** Things the user should know, e.g. text in a script no installed font can draw. */
  notes: string[];
}

function transitionOf(transition: Transition): NonNullable<RenderPlanInput['shots'][number]['transition']> {
  if (transition === 'cut') return { type: 'cut' };
  if (transition === 'fade-to-black') return { type: 'fade-to-black', seconds: FADE_TO_BLACK_SECONDS };
  return { type: 'crossfade', seconds: transition.crossfade.seconds };
}

/** The stored file of a task's main output, by a path with its extension (what ffmpeg and sharp read). */
async function fileOf(store: AssetStore, stored: StoredTask | undefined): Promise<string | undefined> {
  const main: TaskOutput | undefined = stored?.outputs?.[0];
  return main ? inputPath(store, main.sha256, extname(main.filename) || '.bin') : undefined;
}

/**
 * Renders a story from what the store holds for its current tasks: the final cut (each
 * shot's interpolated clip, else its clip, else its keyframe held as a still; the story's
 * fps, frame size and transitions), a contact sheet of the keyframes, a preview per clip,
 * then provenance.json and ATTRIBUTION.md. The cut is made again only when one of its inputs
 * (or the plan) changed.
 */
export async function renderStory(store: AssetStore, plan: StoryPlan, options: RenderStoryOptions): Promise<RenderReport> {
  const { story } = plan;
  const stored = await storedTasks(store, plan);
  const size = storyFrameSize(story);
  const shots: Shot[] = story.scenes.flatMap((scene) => scene.shots);
  const stills: string[] = [];
  const missing: string[] = [];
  const cutShots: RenderPlanInput['shots'] = [];
  const sheet: Parameters<typeof renderContactSheet>[0] = [];
  const clips: { id: string; path: string }[] = [];
  for (const shot of shots) {
    const keyframe = await fileOf(store, stored.get(`${shot.id}/keyframe`));
    const clip = (await fileOf(store, stored.get(`${shot.id}/interpolation`))) ?? (await fileOf(store, stored.get(`${shot.id}/clip`)));
    sheet.push({ id: shot.id, ...(keyframe ? { image: keyframe } : {}), durationSec: shot.duration, camera: `${shot.camera.size} · ${shot.camera.angle} · ${shot.camera.movement}`, action: shot.action });
    if (clip) clips.push({ id: shot.id, path: clip });
    else if (keyframe) stills.push(shot.id);
    if (!clip && !keyframe) {
      missing.push(shot.id);
      continue;
    }
    cutShots.push({ id: shot.id, ...(clip ? { clip } : { keyframe: keyframe! }), durationSec: shot.duration, transition: transitionOf(shot.transition) });
  }
  if (cutShots.length === 0) {
    throw new RenderError('RENDER_INPUT_MISSING', 'no shot of the story has a keyframe or a clip yet', { hint: 'run storycore generate first' });
  }
  await ensureDir(options.outDir);
  const finalPath = join(options.outDir, 'final.mp4');
  const contactSheet = join(options.outDir, 'contact-sheet.png');
  const recordPath = join(options.outDir, 'final.json');
  const renderPlan = { fps: story.fps, width: size.width, height: size.height, shots: cutShots };
  const key = createHash('sha256').update(JSON.stringify({ renderPlan, sheet })).digest('hex');
  const previous = await readRecord(recordPath);
  let cut: Omit<RenderReport, 'contactSheet' | 'previews' | 'provenance' | 'attribution' | 'manifests' | 'stills' | 'missing' | 'reused' | 'notes'>;
  let reused = false;
  if (!options.force && previous?.key === key && existsSync(finalPath) && existsSync(contactSheet)) {
    cut = previous.cut;
    reused = true;
  } else {
    const result = await renderFinalCut(renderPlan, { out: finalPath, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
    cut = { finalPath: result.path, durationSec: result.durationSec, frames: result.frames, width: result.width, height: result.height, fps: result.fps, adjustments: result.adjustments };
    await renderContactSheet(sheet, { out: contactSheet, title: story.title, thumbAspect: size.width / size.height });
    await writeFile(recordPath, `${JSON.stringify({ key, cut }, null, 2)}\n`);
  }
  const previews = await renderPreviews(clips, join(options.outDir, 'previews'));
  const provenance = await store.writeProvenance();
  const manifests = (await readdir(store.layout.manifests).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).length;
  const fontNote = missingGlyphsNote(shots.map((s) => [s.action, ...(s.dialogue ?? []).map((d) => d.text)].join(' ')).join(' '));
  const notes = fontNote ? [fontNote] : [];
  return { ...cut, finalPath, contactSheet, previews, provenance: provenance.provenancePath, attribution: provenance.attributionPath, manifests, stills, missing, reused, notes };
}

/** An animated WebP per clip, named by the clip's content so an unchanged clip is not previewed twice. */
async function renderPreviews(clips: { id: string; path: string }[], dir: string): Promise<string[]> {
  await ensureDir(dir);
  const out: string[] = [];
  for (const clip of clips) {
    const target = join(dir, `${clip.id}.webp`);
    const stamp = join(dir, `${clip.id}.source`);
    const source = clip.path.split('/').pop()!;
    if (existsSync(target) && (await readFile(stamp, 'utf8').catch(() => '')) === source) {
      out.push(target);
      continue;
    }
    await renderShotPreview(clip.path, target, { width: 256, fps: 6, maxSeconds: 3 });
    await writeFile(stamp, source);
    out.push(target);
  }
  return out;
}

async function readRecord(path: string): Promise<{ key: string; cut: RenderReport } | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as { key: string; cut: RenderReport };
  } catch {
    return undefined;
  }
}
