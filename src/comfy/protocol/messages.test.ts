import { describe, expect, it } from 'vitest';
import { isProtocolError, ProtocolError } from '../errors/protocol-error.js';
import { decodeBinaryFrame, encodeBinaryFrame } from './binary-frame.js';
import { isCustomMessage, parseServerMessage, promptIdOf } from './messages.js';
import { findRoute, schemaForRoute } from './routes.js';

function protocolErrorOf(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (e) {
    expect(isProtocolError(e)).toBe(true);
    return e as ProtocolError;
  }
  throw new Error('expected a ProtocolError');
}

describe('parseServerMessage', () => {
  it('keeps unknown custom types as {type, data}', () => {
    const m = parseServerMessage({ type: 'crystools.monitor', data: { cpu: 3 } });
    expect(isCustomMessage(m)).toBe(true);
    expect(m).toEqual({ type: 'crystools.monitor', data: { cpu: 3 }, custom: true });
  });

  it('names the malformed field of a known type', () => {
    expect(protocolErrorOf(() => parseServerMessage({ type: 'executing', data: { node: 5, prompt_id: 'p' } })).field).toBe('executing.data.node');
    expect(protocolErrorOf(() => parseServerMessage({ type: 'execution_error', data: { prompt_id: 'p', node_id: '1' } })).field).toBe(
      'execution_error.data.node_type',
    );
    expect(protocolErrorOf(() => parseServerMessage({ type: 'execution_start', data: { prompt_id: 'p', timestamp: 1.5 } })).field).toBe(
      'execution_start.data.timestamp',
    );
    expect(
      protocolErrorOf(() => parseServerMessage({ type: 'progress_state', data: { prompt_id: 'p', nodes: { '3': { value: 1, max: 2 } } } })).field,
    ).toBe('progress_state.data.nodes.3.state');
    expect(protocolErrorOf(() => parseServerMessage({ type: 'status', data: {} })).message).toContain('status.data.status');
  });

  it('rejects frames that are not a {type, data} envelope or not JSON', () => {
    expect(protocolErrorOf(() => parseServerMessage({ data: {} })).field).toBe('message.type');
    expect(protocolErrorOf(() => parseServerMessage('{nope')).message).toContain('not valid JSON');
  });

  it('accepts the optional sid on status and the progress hook without node', () => {
    expect(parseServerMessage({ type: 'status', data: { status: { exec_info: { queue_remaining: 2 } }, sid: 'abc' } })).toMatchObject({
      data: { sid: 'abc' },
    });
    const p = parseServerMessage({ type: 'progress', data: { value: 1, max: 3, prompt_id: 'p', node: null } });
    expect(promptIdOf(p)).toBe('p');
  });
});

describe('decodeBinaryFrame', () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47]);

  it('decodes type 1 (JPEG and PNG), 3 and 4 and round-trips encodeBinaryFrame', () => {
    const jpeg = decodeBinaryFrame(encodeBinaryFrame({ kind: 'preview', format: 'jpeg', bytes: png }));
    expect(jpeg).toMatchObject({ kind: 'preview', format: 'jpeg' });
    const text = decodeBinaryFrame(encodeBinaryFrame({ kind: 'text', nodeId: '57:12', text: 'héllo' }));
    expect(text).toEqual({ kind: 'text', nodeId: '57:12', text: 'héllo' });
    const metadata = { node_id: '3', prompt_id: 'p', display_node_id: '3', parent_node_id: null, real_node_id: '3', image_type: 'image/png' };
    const withMeta = decodeBinaryFrame(encodeBinaryFrame({ kind: 'preview_with_metadata', metadata, bytes: png }));
    expect(withMeta).toMatchObject({ kind: 'preview_with_metadata', metadata });
    if (withMeta.kind === 'preview_with_metadata') expect([...withMeta.bytes]).toEqual([...png]);
  });

  it('accepts an ArrayBuffer and a Uint8Array view with an offset', () => {
    const frame = encodeBinaryFrame({ kind: 'preview', format: 'png', bytes: png });
    const padded = new Uint8Array(frame.length + 3);
    padded.set(frame, 3);
    expect(decodeBinaryFrame(padded.subarray(3))).toMatchObject({ kind: 'preview', format: 'png' });
    expect(decodeBinaryFrame(Uint8Array.from(frame).buffer)).toMatchObject({ kind: 'preview', format: 'png' });
  });

  it('rejects truncated frames, unknown formats and bad metadata, naming the field', () => {
    expect(protocolErrorOf(() => decodeBinaryFrame(Uint8Array.from([0, 0]))).field).toBe('event type');
    expect(protocolErrorOf(() => decodeBinaryFrame(Uint8Array.from([0, 0, 0, 1, 0, 0, 0, 7]))).field).toBe('format');
    const badMeta = encodeBinaryFrame({ kind: 'preview_with_metadata', metadata: { node_id: 3 } as never, bytes: png });
    expect(protocolErrorOf(() => decodeBinaryFrame(badMeta)).field).toBe('metadata.node_id');
    const lying = Buffer.from(encodeBinaryFrame({ kind: 'text', nodeId: 'a', text: 'b' }));
    lying.writeUInt32BE(99, 4);
    expect(protocolErrorOf(() => decodeBinaryFrame(lying)).field).toBe('node id');
  });

  it('returns unknown event types instead of failing', () => {
    const f = decodeBinaryFrame(Uint8Array.from([0, 0, 0, 9, 1, 2]));
    expect(f).toMatchObject({ kind: 'unknown', eventType: 9 });
  });
});

describe('schemaForRoute', () => {
  it('matches bare and /api paths, params and query strings', () => {
    expect(findRoute('GET', '/api/history/abc-123?x=1')?.path).toBe('/history/{prompt_id}');
    expect(findRoute('GET', '/history')?.path).toBe('/history');
    expect(findRoute('GET', '/api/models/checkpoints')?.path).toBe('/models/{folder}');
    expect(findRoute('POST', '/api/prompt')?.path).toBe('/prompt');
    expect(findRoute('HEAD', '/api/view')?.path).toBe('/view');
    expect(findRoute('GET', '/internal/folder_paths')).toBeDefined();
    expect(findRoute('GET', '/api/internal/folder_paths')).toBeUndefined();
    expect(findRoute('GET', '/api/no_such_route')).toBeUndefined();
  });

  it('gives the 400 body schema of POST /prompt and nothing for undocumented statuses', () => {
    expect(schemaForRoute('POST', '/api/prompt', 400)).toBeDefined();
    expect(schemaForRoute('GET', '/api/models/x', 404)).toBeUndefined();
  });

  it('rejects malformed bodies with the field path', () => {
    const r = schemaForRoute('GET', '/api/queue')!.safeParse({ queue_running: [[1, 'id', {}, {}]], queue_pending: [] });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['queue_running', 0, 4]);
    const h = schemaForRoute('GET', '/api/history/x')!.safeParse({ x: { prompt: [1, 'x', {}, {}, []], outputs: {}, status: { status_str: 'success' } } });
    expect(h.error!.issues[0]!.path).toEqual(['x', 'status', 'completed']);
  });
});
