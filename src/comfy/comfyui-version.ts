/**
 * The two ComfyUI protocols StoryCore speaks: 0.3.64 (recorded, tested against the real
 * server) and `current` (0.38 and later: Jobs API, UUID-checked client prompt ids, V3 MatchType
 * links), chosen by the version a worker reports in `/system_stats`.
 */
export type ComfyProtocol = '0.3.64' | 'current';

export const COMFY_PROTOCOLS: readonly ComfyProtocol[] = ['0.3.64', 'current'];

/** The version the recorded snapshot and fixtures come from. */
export const RECORDED_COMFYUI_VERSION = '0.3.64';
/** The newest ComfyUI whose source the `current` protocol follows (Comfy-Org/ComfyUI). */
export const CURRENT_COMFYUI_VERSION = '0.38.1';
/** The oldest release with the Jobs API and UUID-checked client prompt ids. */
export const FIRST_CURRENT_VERSION = '0.38.0';

export function isComfyProtocol(value: unknown): value is ComfyProtocol {
  return value === '0.3.64' || value === 'current';
}

function parts(version: string): number[] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** `a < b` for dotted versions; unparseable versions compare as neither smaller nor larger. */
export function versionBefore(a: string, b: string): boolean {
  const x = parts(a);
  const y = parts(b);
  if (!x || !y) return false;
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] ?? 0) < (y[i] ?? 0);
  return false;
}

/** The protocol of a reported `comfyui_version`; missing or unparseable → 0.3.64 (the safe subset). */
export function protocolOfVersion(version: string | undefined | null): ComfyProtocol {
  if (!version || !parts(version)) return '0.3.64';
  return versionBefore(version, FIRST_CURRENT_VERSION) ? '0.3.64' : 'current';
}

/** The version string a protocol reports (the emulator's `comfyui_version`). */
export function versionOfProtocol(protocol: ComfyProtocol): string {
  return protocol === 'current' ? CURRENT_COMFYUI_VERSION : RECORDED_COMFYUI_VERSION;
}

/** `str(uuid.UUID(v)) == v`: current ComfyUI accepts only canonical lowercase hyphenated UUIDs as prompt ids. */
export function isCanonicalUuid(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value);
}
