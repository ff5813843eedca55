import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkClientParse } from '../../src/conformance/client-parse.js';
import { compareTranscripts } from '../../src/conformance/compare.js';
import { formatDifference, runConformance, type ConformanceReport } from '../../src/conformance/run-conformance.js';
import { defaultFixturesDir, loadReference } from '../../src/conformance/run-scenario.js';
import { scenarios } from '../../src/conformance/scenarios/index.js';
import type { Transcript, TranscriptEvent } from '../../src/conformance/transcript.js';

const fixturesDir = defaultFixturesDir();
const reference = (id: string): Transcript => {
  const script = scenarios.find((s) => s.id === id);
  const t = script && loadReference(script, fixturesDir);
  if (!t) throw new Error(`no recording for ${id}`);
  return t;
};

describe('conformance (a): the client parses every recorded frame and body', () => {
  it('has a script for each of the 13 recordings', () => {
    expect(scenarios.map((s) => s.file)).toHaveLength(13);
    for (const s of scenarios) expect(path.basename(s.file)).toMatch(new RegExp(`^${s.id}-${s.name}\\.json$`));
  });

  for (const script of scenarios) {
    it(`${script.id}-${script.name}`, () => {
      const result = checkClientParse(reference(script.id), fixturesDir);
      expect(result.failures).toEqual([]);
      expect(result.checked.text + result.checked.binary + result.checked.http).toBeGreaterThan(0);
    });
  }
});

describe('the comparer reports what differs', () => {
  const t = reference('03');
  const clone = (): TranscriptEvent[] => structuredClone(t.events);
  const mutate = (fn: (events: TranscriptEvent[]) => void) => {
    const events = clone();
    fn(events);
    return compareTranscripts(t, { events }, { scenario: '03' });
  };

  it('finds nothing when a transcript is compared with itself', () => {
    expect(compareTranscripts(t, { events: clone() }, { scenario: '03' })).toEqual([]);
  });

  it('reports a changed status code with the exchange and path', () => {
    const diffs = mutate((events) => {
      const e = events.find((x) => x.kind === 'http' && x.request.path === '/view?filename=nope.png');
      if (e?.kind === 'http') e.response.status = 200;
    });
    expect(diffs.map(formatDifference)).toContainEqual(expect.stringMatching(/http #\d+ GET \/view\?filename=nope\.png \$\.status: expected 404, got 200/));
  });

  it('reports a missing key and a changed value type in a body', () => {
    const diffs = mutate((events) => {
      const e = events.find((x) => x.kind === 'http' && x.request.path === '/queue');
      if (e?.kind === 'http') {
        e.response.json = { queue_running: 'none' };
        e.response.text = JSON.stringify(e.response.json);
      }
    });
    expect(diffs.map((d) => `${d.path} ${d.actual}`)).toEqual(expect.arrayContaining([expect.stringMatching(/^\$\.queue_running string/), '$.queue_pending missing']));
  });

  it('reports a message out of order on a socket, and int where Python sent a float', () => {
    const swapped = mutate((events) => {
      const i = events.findIndex((x) => x.kind === 'ws_recv' && (x as { json?: { type?: string } }).json?.type === 'execution_success');
      const j = events.findIndex((x, k) => k > i && x.kind === 'ws_recv' && (x as { json?: { type?: string } }).json?.type === 'executing');
      [events[i], events[j]] = [events[j] as TranscriptEvent, events[i] as TranscriptEvent];
    });
    expect(swapped[0]?.path).toBe('$.type');
    expect(swapped[0]?.expected).toMatch(/^execution_success/);

    const ints = mutate((events) => {
      for (const e of events) if (e.kind === 'ws_recv' && 'text' in e && typeof e.text === 'string') e.text = e.text.replace(/(\d)\.0\b/g, '$1');
    });
    expect(ints.some((d) => d.expected.startsWith('float') && d.actual.startsWith('int'))).toBe(true);
  });

  it('tolerates a status broadcast arriving at another position (finding 2)', () => {
    const diffs = mutate((events) => {
      const i = events.findIndex((x) => x.kind === 'ws_recv' && (x as { json?: { type?: string; data?: { sid?: string } } }).json?.type === 'status' && !(x as { json: { data: { sid?: string } } }).json.data.sid);
      const [status] = events.splice(i, 1);
      events.splice(i + 3, 0, status as TranscriptEvent);
    });
    expect(diffs).toEqual([]);
  });
});

describe('conformance (b): the emulator replays every recorded scenario alike', () => {
  let report: ConformanceReport;
  beforeAll(async () => {
    // All 13 against one emulator, in the recorded order (they build on each other's state).
    report = await runConformance({ json: true });
  }, 240_000);

  for (const script of scenarios) {
    it(`${script.id}-${script.name}`, () => {
      const row = report.rows.find((r) => r.scenario === `${script.id}-${script.name}`);
      expect(row, 'scenario ran').toBeDefined();
      expect(row?.details.map(formatDifference)).toEqual([]);
      // Every allowed difference carries its reason: never a silent skip.
      for (const a of row?.allowed ?? []) expect(a.reason.length).toBeGreaterThan(20);
    });
  }
});
