import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FaultRule } from '../sim/faults/fault-rule.js';
import { UnknownScenarioError } from './errors/unknown-scenario-error.js';
import { IdBook } from './id-book.js';
import type { EmulatorKnobs, ScenarioScript } from './scenario.js';
import { scenarios } from './scenarios/index.js';
import { ScenarioSession } from './session.js';
import { isWsBinary, readTranscript, type Transcript, type TranscriptEvent } from './transcript.js';

/** The emulator's fault seam, when the target is the emulator (a real ComfyUI has none). */
export interface FaultTarget {
  faults: { add(rule: FaultRule): void; clear(): void };
}

export interface RunScenarioOptions {
  /** Shared across the scenarios of one run: later scenarios refer to earlier prompts. */
  ids?: IdBook;
  /** Folder of the reference recordings; default: test/fixtures/comfyui of this checkout. */
  fixturesDir?: string;
  /** Upper bound of each wait for a server message. */
  waitTimeoutMs?: number;
  /** Given when the target is the emulator: the scenario's fault rules are installed for its run. */
  emulator?: FaultTarget;
  knobs?: EmulatorKnobs;
}

export const DEFAULT_KNOBS: EmulatorKnobs = { slowMs: 1500 };

/** Finds test/fixtures/comfyui above this module (src/ or dist/src/). */
export function defaultFixturesDir(): string {
  const fromEnv = process.env.STORYCORE_CONFORMANCE_FIXTURES;
  if (fromEnv) return fromEnv;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'test', 'fixtures', 'comfyui');
    if (existsSync(path.join(candidate, '01-introspection.json'))) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve('test/fixtures/comfyui');
}

/** A scenario by id ('03'), name ('image-graph') or file prefix ('03-image-graph'). */
export function findScenario(name: string): ScenarioScript {
  const found = scenarios.find((s) => s.id === name || s.name === name || `${s.id}-${s.name}` === name || s.file === name || s.id === name.padStart(2, '0'));
  if (!found) throw new UnknownScenarioError(name, scenarios.map((s) => `${s.id}-${s.name}`));
  return found;
}

export function loadReference(script: ScenarioScript, fixturesDir = defaultFixturesDir()): Transcript | undefined {
  const file = path.join(fixturesDir, script.file);
  return existsSync(file) ? readTranscript(file) : undefined;
}

/** One line per message, as the recordings' `summary.ws_messages_per_client`. */
function summariseFrames(events: TranscriptEvent[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of events) {
    if (e.kind !== 'ws_recv') continue;
    const list = (out[e.client] ??= []);
    if (isWsBinary(e)) {
      list.push(`binary(type ${e.binary.event_type}, ${e.binary.length} B)`);
      continue;
    }
    const m = (e as { json?: { type?: string; data?: Record<string, unknown> } }).json;
    const d = m?.data ?? {};
    const parts = [String(m?.type)];
    if (m?.type === 'status') {
      const q = (d.status as { exec_info?: { queue_remaining?: number } } | undefined)?.exec_info?.queue_remaining;
      parts.push(`queue_remaining=${q}`);
      if (typeof d.sid === 'string') parts.push(`sid=${d.sid}`);
    }
    if ('node' in d) parts.push(`node=${JSON.stringify(d.node)}`);
    if (typeof d.prompt_id === 'string') parts.push(`prompt=${d.prompt_id}`);
    list.push(parts.join(' '));
  }
  return out;
}

async function serverInfo(baseUrl: string): Promise<Transcript['server']> {
  const info = { comfyui_version: null as string | null, python_version: null as string | null, pytorch_version: null as string | null, argv: [] as string[] };
  try {
    const res = await fetch(new URL('/system_stats', baseUrl), { signal: AbortSignal.timeout(10_000) });
    const system = ((await res.json()) as { system?: Record<string, unknown> }).system ?? {};
    if (typeof system.comfyui_version === 'string') info.comfyui_version = system.comfyui_version;
    if (typeof system.python_version === 'string') info.python_version = system.python_version;
    if (typeof system.pytorch_version === 'string') info.pytorch_version = system.pytorch_version;
    if (Array.isArray(system.argv)) info.argv = system.argv.map(String);
  } catch {
    // A server without /system_stats still gets its transcript.
  }
  return { ...info, commit: null, base_url: baseUrl, captured_at: new Date().toISOString() };
}

/**
 * Replays one recorded scenario against `baseUrl` (the emulator or any real ComfyUI) and
 * returns the live transcript in the recordings' format, ready to be saved or compared.
 *
 * @example const t = await runScenario('03', 'http://127.0.0.1:8188'); // scenario 02 must have run first
 */
export async function runScenario(name: string, baseUrl: string, options: RunScenarioOptions = {}): Promise<Transcript> {
  const script = findScenario(name);
  const reference = loadReference(script, options.fixturesDir);
  const session = new ScenarioSession({
    scenario: `${script.id}-${script.name}`,
    baseUrl,
    ids: options.ids ?? new IdBook(),
    ...(reference ? { reference } : {}),
    waitTimeoutMs: options.waitTimeoutMs ?? 30_000,
  });
  const rules = options.emulator && script.emulatorFaults ? script.emulatorFaults(options.knobs ?? DEFAULT_KNOBS) : [];
  for (const rule of rules) options.emulator?.faults.add(rule);
  try {
    await script.run(session);
  } finally {
    await session.closeAll();
    if (rules.length > 0) options.emulator?.faults.clear();
  }
  return {
    scenario: Number(script.id),
    name: script.name,
    title: reference?.title ?? script.name,
    description: reference?.description ?? '',
    server: await serverInfo(baseUrl),
    client_ids: session.clientIdMap,
    notes: [],
    summary: { ws_messages_per_client: summariseFrames(session.events) },
    events: session.events,
    server_log: '',
  };
}
