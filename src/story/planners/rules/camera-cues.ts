import type { Camera } from '../../format/schema.js';
import type { CameraAngle, CameraMovement, ShotSize } from '../../format/vocabulary.js';

/** Cue tables, first match wins: words in the prose that imply how the camera sees it. */
const SIZE_CUES: ReadonlyArray<[ShotSize, RegExp]> = [
  ['extreme-close-up', /\bextreme close[- ]?up\b|\bmacro\b/],
  ['close-up', /\bclose[- ]?up\b|\bface\b|\beyes\b|\bhands\b|\blips\b|\bfingers\b|\btears?\b/],
  ['extreme-wide', /\baerial\b|\bpanoram|\bfrom (?:far away|a distance)\b|\bhorizon\b/],
  ['wide', /\blandscape\b|\bcity\b|\bvast\b|\bskyline\b|\bocean\b|\bvalley\b|\bdesert\b|\bcrowd\b|\bwide\b/],
];

const ANGLE_CUES: ReadonlyArray<[CameraAngle, RegExp]> = [
  ['overhead', /\bfrom above\b|\bbird'?s[- ]eye\b|\boverhead\b|\btop[- ]down\b/],
  ['low', /\blooks? up\b|\bgazes? up\b|\bstares? up\b|\btowering\b|\blooms?\b|\bfrom below\b/],
  ['high', /\blooks? down\b|\bpeers? down\b|\bfrom a height\b/],
  ['dutch', /\bdutch\b|\btilted\b|\boff-kilter\b|\bdizzy\b|\bdisoriented\b/],
];

const MOVEMENT_CUES: ReadonlyArray<[CameraMovement, RegExp]> = [
  ['orbit', /\b(?:circles?|circling|orbits?|(?:walks?|moves?|spins?) around)\b/],
  ['tracking', /\b(?:walks?|walking|runs?|running|chases?|chasing|follows?|drives?|rides?|races?|climbs?|climbing|flees)\b/],
  ['dolly-in', /\bapproach(?:es)?\b|\bmoves? closer\b|\bleans? in\b|\bcreeps? toward|\bzooms? in\b/],
  ['dolly-out', /\bpulls? away\b|\bbacks? away\b|\bretreats?\b|\bzooms? out\b/],
  ['handheld', /\bstumbles?\b|\bshak(?:es|ing)\b|\bpanic|\btrembl/],
  ['pan-right', /\bsweeps?\b|\bscans?\b|\bpans? right\b/],
  ['pan-left', /\bpans? left\b/],
  ['tilt-up', /\brises?\b|\bsoars?\b|\btilts? up\b/],
  ['tilt-down', /\bplunges?\b|\bsinks?\b|\btilts? down\b/],
];

/**
 * Camera settings from plain-language cues (`face` → close-up, `walks` → tracking, `from above`
 * → overhead). A scene's first shot without a size cue is a wide establishing shot.
 */
export function cameraFromText(text: string, options: { opensScene: boolean }): Camera {
  const lower = text.toLowerCase();
  const pick = <T>(cues: ReadonlyArray<[T, RegExp]>): T | undefined => cues.find(([, pattern]) => pattern.test(lower))?.[0];
  return {
    size: pick(SIZE_CUES) ?? (options.opensScene ? 'wide' : 'medium'),
    angle: pick(ANGLE_CUES) ?? 'eye-level',
    movement: pick(MOVEMENT_CUES) ?? 'static',
  };
}
