import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Reads the real-ComfyUI transcripts in test/fixtures/comfyui (for tests and the stub server). */
export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/comfyui/', import.meta.url));

export interface TranscriptHttp {
  kind: 'http';
  label?: string;
  request: { method: string; path: string; headers?: Record<string, string>; json?: unknown };
  response: { status: number; headers: Record<string, string>; body_length: number; text?: string; json?: unknown; binary?: unknown };
}
export interface TranscriptWsText { kind: 'ws_recv'; client: string; text: string; json: unknown }
export interface TranscriptWsBinary {
  kind: 'ws_recv';
  client: string;
  binary: { length: number; first8_hex: string; event_type: number; decoded: Record<string, unknown> };
}
export type TranscriptEvent = TranscriptHttp | TranscriptWsText | TranscriptWsBinary | { kind: 'ws_send' | 'ws_open' | 'ws_close' | 'note' };

export interface Transcript {
  file: string;
  name: string;
  events: TranscriptEvent[];
  summary: Record<string, unknown>;
}

export function loadTranscripts(): Transcript[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => /^\d\d-.*\.json$/.test(f))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(readFileSync(FIXTURE_DIR + file, 'utf8')) as Omit<Transcript, 'file'>) }));
}

export function loadTranscript(prefix: string): Transcript {
  const t = loadTranscripts().find((x) => x.file.startsWith(prefix));
  if (!t) throw new Error(`no transcript ${prefix}`);
  return t;
}
