import type { ScenarioSession } from '../session.js';

/** Opens a socket the way the official frontend does: feature flags first, then the reply awaited. */
export async function connectFrontend(s: ScenarioSession, label: string, clientId: string): Promise<void> {
  await s.open(label, clientId);
  s.sendFrontendFlags(label);
  await s.waitFor(label, 'feature_flags reply', (m) => m.type === 'feature_flags');
}

/** Opens a socket that never sends feature flags (a legacy client): waits for the greeting status. */
export async function connectLegacy(s: ScenarioSession, label: string, clientId: string): Promise<void> {
  await s.open(label, clientId);
  await s.waitFor(label, 'status with sid', (m) => m.type === 'status' && typeof m.data?.sid === 'string');
}

interface FileRef {
  filename: string;
  subfolder: string;
  type: string;
}

/** The first file a node reported in a history entry (`outputs[node].images[0]`). */
export function outputFile(history: unknown, promptId: string, node: string): FileRef | undefined {
  const entry = (history as Record<string, { outputs?: Record<string, { images?: FileRef[] }> }> | undefined)?.[promptId];
  return entry?.outputs?.[node]?.images?.[0];
}

export function viewPath(file: FileRef | undefined, extra = ''): string {
  const f = file ?? { filename: 'missing-output.png', subfolder: '', type: 'output' };
  return `/view?filename=${encodeURIComponent(f.filename)}&subfolder=${f.subfolder}&type=${f.type}${extra}`;
}
