import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURE_DIR, loadTranscripts, type TranscriptHttp, type TranscriptWsBinary, type TranscriptWsText } from '../../../test/support/comfy-transcripts.js';
import { decodeBinaryFrame } from './binary-frame.js';
import { isCustomMessage, parseServerMessage, type KnownServerMessage } from './messages.js';
import { findRoute, schemaForRoute } from './routes.js';

const transcripts = loadTranscripts();

/** Rebuilds a binary frame from what the transcript recorded (header, metadata, image head). */
function rebuildFrame(b: TranscriptWsBinary['binary']): Uint8Array {
  const frame = Buffer.alloc(b.length);
  const d = b.decoded;
  frame.writeUInt32BE(b.event_type, 0);
  if (b.event_type === 4) {
    const meta = Buffer.from(pyJson(d.metadata));
    expect(meta.length).toBe(d.metadata_length);
    frame.writeUInt32BE(meta.length, 4);
    meta.copy(frame, 8);
    Buffer.from(String(d.image_first8_hex), 'hex').copy(frame, 8 + meta.length);
  } else if (b.event_type === 1) {
    frame.writeUInt32BE(Number(d.image_format), 4);
    Buffer.from(String(d.image_first8_hex), 'hex').copy(frame, 8);
  }
  expect(frame.subarray(0, 8).toString('hex')).toBe(b.first8_hex);
  return frame;
}

/** Python json.dumps spacing, so rebuilt headers have the recorded byte length. */
function pyJson(value: unknown): string {
  return JSON.stringify(value).replace(/","/g, '", "').replace(/":/g, '": ').replace(/,"/g, ', "');
}

describe('every recorded frame and response parses', () => {
  it('finds all 13 transcripts', () => expect(transcripts).toHaveLength(13));

  for (const t of transcripts) {
    describe(t.file, () => {
      const texts = t.events.filter((e): e is TranscriptWsText => e.kind === 'ws_recv' && 'text' in e);
      const binaries = t.events.filter((e): e is TranscriptWsBinary => e.kind === 'ws_recv' && 'binary' in e);
      const https = t.events.filter((e): e is TranscriptHttp => e.kind === 'http');

      it(`parses ${texts.length} text frames into known message kinds`, () => {
        for (const e of texts) {
          const m = parseServerMessage(e.text);
          expect(isCustomMessage(m), e.text.slice(0, 80)).toBe(false);
          expect(m.type).toBe((e.json as { type: string }).type);
        }
      });

      it(`decodes ${binaries.length} binary frames`, () => {
        for (const e of binaries) {
          const frame = decodeBinaryFrame(rebuildFrame(e.binary));
          if (e.binary.event_type === 4) {
            expect(frame.kind).toBe('preview_with_metadata');
            if (frame.kind !== 'preview_with_metadata') continue;
            expect(frame.metadata).toEqual(e.binary.decoded.metadata);
            expect(frame.bytes.byteLength).toBe(e.binary.decoded.image_length);
          } else {
            expect(frame).toMatchObject({ kind: 'preview', format: 'png' });
            if (frame.kind === 'preview') expect(frame.bytes.byteLength).toBe(e.binary.decoded.image_length);
          }
        }
      });

      it(`validates ${https.length} HTTP responses against their route schema`, () => {
        for (const e of https) {
          const { method, path } = e.request;
          const label = `${method} ${path} ${e.response.status}`;
          if (path === '/') continue; // the stub frontend page, not an API route
          expect(findRoute(method, path), label).toBeDefined();
          const schema = schemaForRoute(method, path, e.response.status);
          if (e.response.json !== undefined) {
            expect(schema, label).toBeDefined();
            const r = schema!.safeParse(e.response.json);
            expect(r.success, `${label}: ${r.error?.message}`).toBe(true);
          } else if (e.response.status === 200 && e.response.body_length === 0) {
            expect(schema!.safeParse(undefined).success, label).toBe(true);
          } else if (e.response.status !== 200) {
            // 4xx/5xx without a documented JSON body: empty, or aiohttp's plain-text 500 page.
            expect(schema, label).toBeUndefined();
          }
        }
      });
    });
  }

  it('validates the full /object_info body, 383 classes, seed max kept as a number', () => {
    const json = JSON.parse(readFileSync(`${FIXTURE_DIR}object_info.json`, 'utf8')) as unknown;
    const info = schemaForRoute('GET', '/api/object_info')!.parse(json) as Record<string, { input: { required?: Record<string, unknown[]> } }>;
    expect(Object.keys(info)).toHaveLength(383);
    const seed = info.KSampler!.input.required!.seed![1] as { max: number };
    expect(seed.max).toBeGreaterThan(1.8e19);
  });
});

describe('asserted values from the transcripts', () => {
  const byFile = (p: string) => transcripts.find((t) => t.file.startsWith(p))!;
  const texts = (p: string) =>
    byFile(p)
      .events.filter((e): e is TranscriptWsText => e.kind === 'ws_recv' && 'text' in e)
      .map((e) => parseServerMessage(e.text))
      .filter((m): m is KnownServerMessage => !isCustomMessage(m));

  it('status carries sid on connect; executing null ends the job', () => {
    const msgs = texts('03');
    expect(msgs[0]).toMatchObject({ type: 'status', data: { sid: expect.any(String), status: { exec_info: { queue_remaining: 0 } } } });
    const last = msgs.at(-1)!;
    expect(last.type).toBe('executing');
    if (last.type === 'executing') expect(last.data.node).toBeNull();
  });

  it('the reconnect replay `executing` has no prompt_id', () => {
    const replay = texts('12').find((m) => m.type === 'executing' && m.data.prompt_id === undefined);
    expect(replay).toEqual({ type: 'executing', data: { node: '10' } });
  });

  it('execution_error keeps type, node, traceback and integer timestamp', () => {
    const err = texts('06').find((m) => m.type === 'execution_error');
    expect(err?.type).toBe('execution_error');
    if (err?.type !== 'execution_error') return;
    expect(err.data).toMatchObject({ node_type: 'ImageBlur', exception_type: 'RuntimeError' });
    expect(err.data.exception_message.endsWith('\n')).toBe(true);
    expect(err.data.traceback.length).toBeGreaterThan(0);
    expect(Number.isInteger(err.data.timestamp)).toBe(true);
  });

  it('progress_state accepts integer and float progress values', () => {
    const states = texts('11').filter((m) => m.type === 'progress_state');
    expect(states.length).toBeGreaterThan(0);
  });
});
