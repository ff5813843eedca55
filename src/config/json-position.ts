/**
 * Line and column (1-based) of a `JSON.parse` failure. V8 reports "at position N" and, in
 * newer versions, "(line L column C)"; both are read so any Node >= 20 gives a location.
 */
export function jsonErrorLocation(text: string, error: unknown): { line: number; column: number } | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /position (\d+)/.exec(message);
  if (position) return offsetToLineColumn(text, Number(position[1]));
  if (/end of (JSON|data)/i.test(message)) return offsetToLineColumn(text, text.length);
  return undefined;
}

export function offsetToLineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
}

/** The reason part of a `JSON.parse` message, without V8's position suffixes or echoed input. */
export function jsonErrorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/\s*in JSON at position \d+/, '')
    .replace(/, "[^"]*" is not valid JSON$/, '')
    .trim();
}
