/**
 * Escapes a value for a filter option inside a filtergraph: ffmpeg parses it twice (the
 * graph, then the option), so both levels' special characters need a backslash.
 */
export function escapeFilterValue(value: string): string {
  const optionLevel = value.replace(/[\\':]/g, (c) => `\\${c}`);
  return optionLevel.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}
