import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareTranscripts } from '../../src/conformance/compare.js';
import { graphInputs, orderViolation } from '../../src/conformance/node-order.js';
import { defaultFixturesDir, loadReference } from '../../src/conformance/run-scenario.js';
import { scenarios } from '../../src/conformance/scenarios/index.js';
import type { Transcript, TranscriptEvent } from '../../src/conformance/transcript.js';
import { parseTypedJson, PyFloat } from '../../src/conformance/typed-json.js';
import { imageGraph } from '../../src/conformance/graphs.js';

/**
 * ComfyUI runs independent nodes in Python-set order (PYTHONHASHSEED): the comparer must accept
 * every order the graph's dependencies allow, and nothing else. Scenario 04's recording:
 * prompt 1 (all cached) re-sends the outputs of 4 (SaveImage) then 5 (PreviewImage), seqs 9–12;
 * prompt 2 runs 2 (22–24), 5 (25–28), 3 (29–31), 4 (32–35). Graph: 1→2→3→4, 2→5.
 */
const reference = (): Transcript => {
  const script = scenarios.find((s) => s.id === '04');
  const t = script && loadReference(script, defaultFixturesDir());
  if (!t) throw new Error('no recording for 04');
  return t;
};

/** Python-style JSON text (floats keep their `.0`), so edited frames keep the recorded number kinds. */
function pythonText(value: unknown): string {
  if (value instanceof PyFloat) return value.toJSON();
  if (Array.isArray(value)) return `[${value.map(pythonText).join(', ')}]`;
  if (value && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonText(v)}`).join(', ')}}`;
  return JSON.stringify(value);
}

type NodesEdit = (nodes: Record<string, unknown>, all: Map<number, Record<string, unknown>>) => void;

/**
 * The recording with the ws frames of `seqs` put in the given order (they take the places the
 * same frames had), and progress_state node maps edited as the new order would have sent them.
 */
function reorder(seqs: number[], edits: Record<number, NodesEdit> = {}): TranscriptEvent[] {
  const events = structuredClone(reference().events);
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  const finals = new Map<number, Record<string, unknown>>();
  for (const e of events) {
    if (e.kind === 'ws_recv' && 'text' in e && typeof e.text === 'string') {
      const body = parseTypedJson(e.text) as { data?: { nodes?: Record<string, unknown> } };
      if (body.data?.nodes && !Array.isArray(body.data.nodes)) finals.set(e.seq, body.data.nodes);
    }
  }
  for (const [seq, edit] of Object.entries(edits)) {
    const e = bySeq.get(Number(seq));
    if (e?.kind !== 'ws_recv' || !('text' in e) || typeof e.text !== 'string') throw new Error(`seq ${seq} is not a text frame`);
    const body = parseTypedJson(e.text) as { data: { nodes: Record<string, unknown> } };
    edit(body.data.nodes, finals);
    const text = pythonText(body);
    e.text = text;
    e.json = JSON.parse(text) as unknown;
  }
  const places = [...seqs].sort((a, b) => a - b).map((s) => events.findIndex((e) => e.seq === s));
  const moved = seqs.map((s) => bySeq.get(s) as TranscriptEvent);
  places.forEach((place, i) => {
    events[place] = moved[i] as TranscriptEvent;
  });
  return events;
}

const drop = (...ids: string[]): NodesEdit => (nodes) => {
  for (const id of ids) delete nodes[id];
};
/** Adds a node's entry as it reads in a later recorded progress_state (its final state). */
const addFrom = (seq: number, ...ids: string[]): NodesEdit => (nodes, all) => {
  for (const id of ids) nodes[id] = all.get(seq)?.[id];
};

describe('node order: any order the graph allows, nothing else', () => {
  it('accepts the two independent output nodes in the other order (PYTHONHASHSEED 2)', () => {
    // prompt 1: executed 5, progress_state {5}, executed 4, progress_state {4, 5}
    const events = reorder([11, 10, 9, 12], { 10: (nodes, all) => {
      delete nodes['4'];
      nodes['5'] = all.get(12)?.['5'];
    } });
    expect(compareTranscripts(reference(), { events }, { scenario: '04' })).toEqual([]);
  });

  it('accepts PreviewImage 5 after 3 (2, 3, 5, 4), which only needs node 2', () => {
    const events = reorder([22, 23, 24, 29, 30, 31, 25, 26, 27, 28, 32, 33, 34, 35], {
      29: drop('5'),
      31: drop('5'),
      25: addFrom(31, '3'),
      28: addFrom(31, '3'),
    });
    expect(compareTranscripts(reference(), { events }, { scenario: '04' })).toEqual([]);
  });

  it('rejects SaveImage 4 before ImageInvert 3, its input', () => {
    const events = reorder([22, 23, 24, 25, 26, 27, 28, 32, 33, 34, 35, 29, 30, 31], {
      32: drop('3'),
      35: drop('3'),
      29: addFrom(35, '4'),
      31: addFrom(35, '4'),
    });
    const diffs = compareTranscripts(reference(), { events }, { scenario: '04' });
    expect(diffs[0]).toMatchObject({ path: '$.node_order', actual: '2, 5, 4, 3' });
    expect(diffs[0]?.expected).toMatch(/3 before 4/);
  });

  it('accepts exactly the linear extensions of a random graph (property)', () => {
    // A random DAG on nodes 1..n (links only from lower to higher ids), a random order of a subset.
    const dag = fc.integer({ min: 2, max: 7 }).chain((n) => fc.tuple(
      fc.constant(n),
      fc.array(fc.tuple(fc.integer({ min: 1, max: n }), fc.integer({ min: 1, max: n })), { maxLength: 12 }),
      fc.shuffledSubarray(Array.from({ length: n }, (_, i) => String(i + 1)), { minLength: 1 }),
    ));
    fc.assert(fc.property(dag, ([n, edges, order]) => {
      const prompt: Record<string, { inputs: Record<string, unknown> }> = {};
      for (let i = 1; i <= n; i++) prompt[String(i)] = { inputs: {} };
      edges.forEach(([a, b], k) => {
        if (a < b) (prompt[String(b)] as { inputs: Record<string, unknown> }).inputs[`in${k}`] = [String(a), 0];
      });
      // Reachability by brute force: b depends on a when a path a → … → b exists.
      const dependsOn = (b: number, a: number, seen = new Set<number>()): boolean => Object.values(prompt[String(b)]!.inputs).some((v) => {
        const from = Number((v as [string, number])[0]);
        if (seen.has(from)) return false;
        seen.add(from);
        return from === a || dependsOn(from, a, seen);
      });
      const allowed = order.every((x, i) => order.slice(i + 1).every((later) => !dependsOn(Number(x), Number(later))));
      expect(orderViolation(graphInputs(prompt), order) === undefined).toBe(allowed);
    }), { numRuns: 300 });
  });

  it('derives the allowed orders from the graph, through cached nodes too', () => {
    const graph = graphInputs(imageGraph());
    expect(orderViolation(graph, ['1', '2', '3', '4', '5'])).toBeUndefined();
    expect(orderViolation(graph, ['1', '2', '5', '3', '4'])).toBeUndefined();
    expect(orderViolation(graph, ['5', '4'])).toBeUndefined();
    // 1 is an input of 4 through 2 and 3, which are cached and never announced.
    expect(orderViolation(graph, ['4', '1'])).toEqual({ node: '4', input: '1' });
    expect(orderViolation(graph, ['1', '3', '2', '4', '5'])).toEqual({ node: '3', input: '2' });
  });
});
