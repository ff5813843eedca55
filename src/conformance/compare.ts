import { alignNodeOrder, promptGraphs, type NodeInputs, type SocketItem } from './node-order.js';
import { normalisePath, normaliseString, substituteIds } from './normalise.js';
import { compareStructure, type Difference, type StructureOptions } from './structure.js';
import { parseTypedJson } from './typed-json.js';
import { isHttp, isWsBinary, isWsRecv, type HttpEvent, type Transcript, type TranscriptEvent, type WsRecvEvent } from './transcript.js';

export type { Difference } from './structure.js';

export interface CompareOptions extends StructureOptions {
  scenario: string;
  /** live id → recorded id, applied to the live transcript before anything else. */
  substitutions?: ReadonlyArray<[string, string]>;
  /** Stop after this many differences (the first ones are the useful ones). */
  limit?: number;
}

/**
 * Response headers whose presence is compared (values are per capture: etag, last-modified,
 * content-length, server). `date`, `server`, and transport headers are left out.
 */
const COMPARED_HEADERS = ['content-type', 'content-disposition', 'accept-ranges', 'etag', 'last-modified', 'cache-control'];

/** A `status` broadcast without `sid`: its position relative to other frames is not guaranteed (finding 2). */
function isFloatingStatus(e: WsRecvEvent): boolean {
  if (isWsBinary(e)) return false;
  const m = e.json as { type?: string; data?: { sid?: unknown } } | null;
  return m?.type === 'status' && m.data?.sid === undefined;
}

function frameKind(e: WsRecvEvent): string {
  if (isWsBinary(e)) return `binary(type ${e.binary.event_type})`;
  return String((e.json as { type?: unknown } | null)?.type ?? 'text');
}

function frameBody(e: WsRecvEvent): unknown {
  if (isWsBinary(e)) return { event_type: e.binary.event_type, decoded: e.binary.decoded };
  return typedOr(e.text, e.json);
}

/** The body with Python's int/float kinds when the verbatim text was kept (both sides keep it). */
function typedOr(text: string | undefined, json: unknown): unknown {
  if (text === undefined) return json;
  try {
    return parseTypedJson(text);
  } catch {
    return json;
  }
}

function bodyKind(r: HttpEvent['response']): string {
  if (r.json !== undefined) return 'json';
  if (r.binary) return 'binary';
  if (r.text !== undefined) return 'text';
  return r.body_length > 0 ? 'unrecorded' : 'empty';
}

/**
 * Compares a live transcript with the recorded one: HTTP exchanges pairwise in order (route,
 * status, content type, compared headers, body structure), and per socket the sequence of
 * message kinds (binary frames by event type) and each message's structure. Floating `status`
 * broadcasts are matched among themselves, since ComfyUI sends them from another thread.
 */
export function compareTranscripts(recorded: Transcript, live: { events: TranscriptEvent[] }, options: CompareOptions): Difference[] {
  const diffs: Difference[] = [];
  const limit = options.limit ?? 50;
  const events = substituteIds(live.events, options.substitutions ?? []);
  const add = (where: string, path: string, expected: string, actual: string): void => {
    if (diffs.length < limit) diffs.push({ scenario: options.scenario, where, path, expected, actual });
  };

  compareHttp(recorded.events.filter(isHttp), events.filter(isHttp), add, options);
  // The graphs of both sides: live prompt ids are already rewritten to the recorded ones.
  const graphs = new Map([...promptGraphs(recorded.events), ...promptGraphs(events)]);
  const labels = new Set([...recorded.events, ...events].filter(isWsRecv).map((e) => e.client));
  for (const label of labels) {
    compareSocket(
      label,
      recorded.events.filter(isWsRecv).filter((e) => e.client === label),
      events.filter(isWsRecv).filter((e) => e.client === label),
      add,
      options,
      graphs,
    );
  }
  return diffs;
}

type Add = (where: string, path: string, expected: string, actual: string) => void;

function compareHttp(recorded: HttpEvent[], live: HttpEvent[], add: Add, options: StructureOptions): void {
  if (recorded.length !== live.length) add('http', '$', `${recorded.length} exchanges`, `${live.length} exchanges`);
  recorded.forEach((r, i) => {
    const l = live[i];
    const where = `http #${i} ${r.request.method} ${r.request.path}`;
    if (!l) return;
    const rp = normalisePath(r.request.path);
    const lp = normalisePath(l.request.path);
    if (r.request.method !== l.request.method || rp !== lp) {
      add(where, '$.request', `${r.request.method} ${rp}`, `${l.request.method} ${lp}`);
      return;
    }
    if (r.response.status !== l.response.status) add(where, '$.status', String(r.response.status), String(l.response.status));
    for (const name of COMPARED_HEADERS) {
      const rv = r.response.headers[name];
      const lv = l.response.headers[name];
      if (rv === undefined && lv === undefined) continue;
      if (rv === undefined || lv === undefined) add(where, `$.headers["${name}"]`, rv === undefined ? 'absent' : `present: ${rv}`, lv === undefined ? 'absent' : `present: ${lv}`);
      else if (name === 'content-type' && rv !== lv) add(where, `$.headers["${name}"]`, rv, lv);
      else if (name === 'content-disposition' && normaliseString(rv) !== normaliseString(lv)) add(where, `$.headers["${name}"]`, rv, lv);
    }
    const rk = bodyKind(r.response);
    const lk = bodyKind(l.response);
    // Bodies the recording did not keep (the object_info dump, history pages of 13) are compared by status and headers only.
    if (rk === 'unrecorded') return;
    if (rk !== lk) {
      add(where, '$.body', `${rk} body (${r.response.body_length} B)`, `${lk} body (${l.response.body_length} B)`);
      return;
    }
    if (rk === 'json') compareStructure(typedOr(r.response.text, r.response.json), typedOr(l.response.text, l.response.json), (path, e, a) => add(where, path, e, a), options);
    // Error pages are fixed strings ("500 Internal Server Error\n\nServer got itself in trouble").
    if (rk === 'text' && r.response.status >= 400 && r.response.text !== l.response.text) add(where, '$.text', JSON.stringify(r.response.text), JSON.stringify(l.response.text));
    if (rk === 'binary' && r.response.binary?.content_type !== l.response.binary?.content_type) {
      add(where, '$.binary.content_type', String(r.response.binary?.content_type), String(l.response.binary?.content_type));
    }
  });
}

function compareSocket(label: string, recorded: WsRecvEvent[], live: WsRecvEvent[], add: Add, options: StructureOptions, graphs: Map<string, NodeInputs>): void {
  const split = (frames: WsRecvEvent[]) => ({ fixed: frames.filter((e) => !isFloatingStatus(e)), floating: frames.filter(isFloatingStatus) });
  const r = split(recorded);
  const l = split(live);
  const items = (frames: WsRecvEvent[]): SocketItem[] => frames.map((e) => ({ kind: frameKind(e), body: frameBody(e) }));
  const ri = items(r.fixed);
  // Independent nodes may run in any order their graph allows (PYTHONHASHSEED): a live order the graph
  // allows is put into the recorded order; one it does not allow is a difference of its own.
  const aligned = alignNodeOrder(ri, items(l.fixed), graphs);
  for (const v of aligned.violations) {
    add(`ws ${label} prompt ${v.promptId}`, '$.node_order', `an order the graph allows (${v.input} before ${v.node}, its input)`, `${v.order.join(', ')}`);
  }
  const li = aligned.items;
  const rk = ri.map((x) => x.kind);
  const lk = li.map((x) => x.kind);
  const n = Math.max(rk.length, lk.length);
  for (let i = 0; i < n; i++) {
    const re = r.fixed[i];
    const where = `ws ${label} message #${i}${re ? ` (recorded seq ${re.seq})` : ''}`;
    if (rk[i] !== lk[i]) {
      const context = (list: string[]) => list.slice(Math.max(0, i - 2), i + 3).join(', ');
      add(where, '$.type', `${rk[i] ?? 'end of stream'} [… ${context(rk)} …]`, `${lk[i] ?? 'end of stream'} [… ${context(lk)} …]`);
      return;
    }
    const rb = ri[i];
    const lb = li[i];
    if (rb && lb) compareStructure(rb.body, lb.body, (path, e, a) => add(where, path, e, a), options);
  }
  if (r.floating.length !== l.floating.length) {
    add(`ws ${label} status broadcasts`, '$', `${r.floating.length} status messages`, `${l.floating.length} status messages`);
  }
  r.floating.forEach((re, i) => {
    const le = l.floating[i];
    if (le) compareStructure(frameBody(re), frameBody(le), (path, e, a) => add(`ws ${label} status #${i} (recorded seq ${re.seq})`, path, e, a), options);
  });
}
