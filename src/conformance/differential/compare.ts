import { isLink, type ApiGraph } from '../../comfy/graph.js';
import type { DifferentialCase } from './cases.js';
import type { EncodedPreview, ExecutionMessage, Observation } from './observe.js';

export interface CaseComparison {
  differences: string[];
  /** Largest per-channel |real − emulator| over every saved image (0..255), when images were compared. */
  maxAbs?: number;
  images: number;
}

/** Keys sorted so that two JSON values compare by content. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** PreviewImage's random `_temp_xxxxx` letters differ between any two servers. */
function normaliseFilename(name: string): string {
  return name.replace(/_temp_[a-z]{5}_/, '_temp_?????_');
}

/** A message as the comparison sees it: type, node, and the fields that must agree. */
function token(m: ExecutionMessage): string {
  const d = m.data;
  switch (m.type) {
    case 'execution_cached':
      return `execution_cached [${[...((d.nodes as string[]) ?? [])].sort().join(',')}]`;
    case 'executing':
      return `executing ${String(d.node)}`;
    case 'executed': {
      const images = ((d.output as { images?: { filename: string; subfolder: string; type: string }[] } | null)?.images ?? []).map((i) => `${normaliseFilename(i.filename)}|${i.subfolder}|${i.type}`);
      return `executed ${String(d.node)} [${images.join(',')}]`;
    }
    case 'execution_error':
      return `execution_error ${String(d.node_id)} ${String(d.node_type)} ${String(d.exception_type)}: ${String(d.exception_message).trim()}`;
    case 'execution_interrupted':
      return `execution_interrupted ${String(d.node_id)} ${String(d.node_type)}`;
    default:
      return m.type;
  }
}

function upstream(graph: ApiGraph, id: string): string[] {
  return Object.values(graph[id]?.inputs ?? {}).filter(isLink).map((l) => l[0]);
}

/** Every node starts after the nodes it reads from (ComfyUI may order independent branches either way). */
function respectsDependencies(tokens: string[], graph: ApiGraph): boolean {
  const started = new Map<string, number>();
  tokens.forEach((t, i) => {
    const m = /^executing (\S+)$/.exec(t);
    if (m) started.set(m[1]!, i);
  });
  for (const [id, at] of started) for (const up of upstream(graph, id)) if ((started.get(up) ?? -1) > at) return false;
  return true;
}

function sameMultiset(a: string[], b: string[]): boolean {
  return canonical([...a].sort()) === canonical([...b].sort());
}

/**
 * An interrupt sent on `executing <node>` lands either before that node's function starts (both
 * ComfyUI and the emulator check right after sending `executing`) or while it runs (noticed
 * before the next node): either outcome is right, on either side. Messages up to
 * `executing <node>` must agree; each side must end interrupted at that node or one after it.
 */
function interruptedTail(c: DifferentialCase, tokens: string[]): { head: string[]; endsAt?: string } {
  const at = tokens.indexOf(`executing ${c.interruptAt}`);
  const last = tokens.at(-1) ?? '';
  const m = /^execution_interrupted (\S+) /.exec(last);
  return at < 0 ? { head: tokens } : m ? { head: tokens.slice(0, at + 1), endsAt: m[1]! } : { head: tokens.slice(0, at + 1) };
}

function downstreamOrSelf(graph: ApiGraph, from: string, node: string): boolean {
  if (from === node) return true;
  return Object.keys(graph).some((id) => upstream(graph, id).includes(from) && downstreamOrSelf(graph, id, node));
}

function compareMessages(c: DifferentialCase, real: Observation, emu: Observation, out: string[]): void {
  const r = real.messages.map(token);
  const e = emu.messages.map(token);
  if (canonical(r) === canonical(e)) return;
  if (c.kind === 'interrupted' && c.interruptAt !== undefined) {
    const [tr, te] = [interruptedTail(c, r), interruptedTail(c, e)];
    const ok = (t: { endsAt?: string }) => t.endsAt !== undefined && downstreamOrSelf(c.graph, c.interruptAt!, t.endsAt);
    if (canonical(tr.head) === canonical(te.head) && ok(tr) && ok(te)) return;
    out.push(`interrupt: real ${r.slice(tr.head.length - 1).join(' → ')}, emulator ${e.slice(te.head.length - 1).join(' → ')}`);
    return;
  }
  const orderOnly = sameMultiset(r, e) && r[0] === e[0] && r.at(-1) === e.at(-1) && respectsDependencies(e, c.graph) && respectsDependencies(r, c.graph);
  if (orderOnly) return;
  const i = r.findIndex((t, k) => t !== e[k]);
  out.push(`message #${i}: real ${r[i] ?? '(none)'}, emulator ${e[i] ?? '(none)'}`);
}

function historySummary(entry: Record<string, unknown> | undefined): unknown {
  if (!entry) return null;
  const status = entry.status as { status_str?: unknown; completed?: unknown; messages?: [string, unknown][] } | undefined;
  const outputs = (entry.outputs ?? {}) as Record<string, { images?: unknown[] }>;
  return {
    status_str: status?.status_str,
    completed: status?.completed,
    messages: (status?.messages ?? []).map((m) => m[0]),
    outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.images?.length ?? 0])),
  };
}

/**
 * Lossy previews: from identical source pixels the emulator's encoder (libjpeg-turbo / libwebp
 * with Pillow's settings) must produce the same picture; from sources one level apart a
 * quantised coefficient may round the other way, so only the overall error is bounded.
 */
const PREVIEW_MIN_PSNR_DB = 35;

function psnr(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let k = 0; k < a.length; k += 1) sum += (a[k]! - b[k]!) ** 2;
  return sum === 0 ? Infinity : 10 * Math.log10((255 * 255) / (sum / a.length));
}

function comparePreview(where: string, pa: EncodedPreview, pb: EncodedPreview | undefined, sameSource: boolean, out: string[]): void {
  const head = (p: EncodedPreview | undefined) => (p ? `${p.contentType} | ${normaliseFilename(p.disposition ?? '')} | ${p.layout} | ${p.width}×${p.height}` : 'missing');
  if (head(pa) !== head(pb)) {
    out.push(`${where}: real ${head(pa).slice(0, 300)}, emulator ${head(pb).slice(0, 300)}`);
    return;
  }
  const db = psnr(pa.data, pb!.data);
  if (sameSource && db !== Infinity) out.push(`${where}: same source pixels, different decoded preview (PSNR ${db.toFixed(1)} dB)`);
  else if (db < PREVIEW_MIN_PSNR_DB) out.push(`${where}: PSNR ${db.toFixed(1)} dB < ${PREVIEW_MIN_PSNR_DB} dB`);
}

function compareImages(c: DifferentialCase, real: Observation, emu: Observation, out: string[]): number | undefined {
  if (real.images.length !== emu.images.length) {
    out.push(`images: real saved ${real.images.length}, emulator ${emu.images.length}`);
    return undefined;
  }
  let maxAbs = 0;
  real.images.forEach((a, i) => {
    const b = emu.images[i]!;
    const where = `node ${a.node} image ${i} (${a.filename})`;
    if (a.node !== b.node || normaliseFilename(a.filename) !== normaliseFilename(b.filename)) out.push(`${where}: emulator saved ${b.node}/${b.filename}`);
    if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels) {
      out.push(`${where}: real ${a.width}×${a.height}×${a.channels}, emulator ${b.width}×${b.height}×${b.channels}`);
      maxAbs = Infinity;
      return;
    }
    let sourceDiff = 0;
    for (let k = 0; k < a.data.length; k += 1) sourceDiff = Math.max(sourceDiff, Math.abs(a.data[k]! - b.data[k]!));
    for (const [query, pa] of Object.entries(a.previews ?? {})) comparePreview(`${where} preview=${query}`, pa, b.previews?.[query], sourceDiff === 0, out);
    if (canonical(a.png) !== canonical(b.png)) out.push(`${where}: PNG chunks real ${canonical(a.png).slice(0, 400)}, emulator ${canonical(b.png).slice(0, 400)}`);
    for (let k = 0; k < a.data.length; k += 1) maxAbs = Math.max(maxAbs, Math.abs(a.data[k]! - b.data[k]!));
  });
  const tolerance = c.tolerance ?? 0;
  if (Number.isFinite(maxAbs) && maxAbs > tolerance) out.push(`pixels: max |Δ| ${maxAbs} > tolerance ${tolerance}`);
  return maxAbs;
}

/** How the emulator's observation differs from the real server's for one case. */
export function compareObservations(c: DifferentialCase, real: Observation, emu: Observation): CaseComparison {
  const differences: string[] = [];
  if (real.status !== emu.status) differences.push(`POST /prompt status: real ${real.status}, emulator ${emu.status}`);
  else if (real.status !== 200) {
    if (canonical(real.body) !== canonical(emu.body)) differences.push(`POST /prompt body: real ${canonical(real.body).slice(0, 300)}, emulator ${canonical(emu.body).slice(0, 300)}`);
  } else {
    const nodeErrors = (o: Observation) => canonical((o.body as { node_errors?: unknown }).node_errors);
    if (nodeErrors(real) !== nodeErrors(emu)) differences.push(`node_errors: real ${nodeErrors(real)}, emulator ${nodeErrors(emu)}`);
  }
  compareMessages(c, real, emu, differences);
  const hr = canonical(historySummary(real.history));
  const he = canonical(historySummary(emu.history));
  if (hr !== he) differences.push(`history: real ${hr}, emulator ${he}`);
  const maxAbs = real.images.length + emu.images.length > 0 ? compareImages(c, real, emu, differences) : undefined;
  return maxAbs === undefined ? { differences, images: real.images.length } : { differences, maxAbs, images: real.images.length };
}
