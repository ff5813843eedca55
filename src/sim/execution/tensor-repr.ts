/**
 * `str(torch.Tensor)` as PyTorch prints it (default print options: precision 4, threshold
 * 1000, edgeitems 3, linewidth 80), for tensors whose values we can compute per index.
 * Used for `current_inputs` of `execution_error`, which real ComfyUI fills with `str(x)`.
 */
const EDGE = 3;
const THRESHOLD = 1000;
const LINEWIDTH = 80;

/** Stable pseudo-values in [0.01, 0.99] for tensors whose contents are not modelled. */
function pseudoValue(index: number[]): number {
  let h = 2166136261;
  for (const i of index) h = Math.imul(h ^ (i + 1), 16777619) >>> 0;
  return 0.01 + ((h % 9800) / 10000);
}

export function tensorRepr(shape: number[], valueAt: (index: number[]) => number = pseudoValue): string {
  const numel = shape.reduce((a, b) => a * b, 1);
  const summarize = numel > THRESHOLD;
  const prefix = 'tensor(';
  if (numel === 0) return `tensor([], size=(${shape.join(', ')}))`;
  const shown = collectShown(shape, summarize, valueAt);
  const format = formatter(shown);
  return `${prefix}${body(shape, [], prefix.length, summarize, valueAt, format)})`;
}

function shownIndices(size: number, summarize: boolean): number[] | [number[], number[]] {
  if (summarize && size > 2 * EDGE) {
    return [
      Array.from({ length: EDGE }, (_, i) => i),
      Array.from({ length: EDGE }, (_, i) => size - EDGE + i),
    ];
  }
  return Array.from({ length: size }, (_, i) => i);
}

function flatShown(size: number, summarize: boolean): number[] {
  const s = shownIndices(size, summarize);
  return Array.isArray(s[0]) ? [...(s[0] as number[]), ...(s[1] as number[])] : (s as number[]);
}

function collectShown(shape: number[], summarize: boolean, valueAt: (index: number[]) => number): number[] {
  const values: number[] = [];
  const walk = (prefix: number[]): void => {
    if (prefix.length === shape.length) {
      values.push(valueAt(prefix));
      return;
    }
    for (const i of flatShown(shape[prefix.length]!, summarize)) walk([...prefix, i]);
  };
  walk([]);
  return values;
}

/** PyTorch's `_Formatter`: integer mode (`1.`), fixed 4 decimals, or scientific. */
function formatter(values: number[]): (v: number) => string {
  const finite = values.filter((v) => Number.isFinite(v));
  const intMode = finite.every((v) => Number.isInteger(v));
  let fmt: (v: number) => string;
  if (intMode) {
    fmt = (v) => `${v.toFixed(0)}.`;
  } else {
    const nonzero = finite.map(Math.abs).filter((v) => v !== 0);
    const max = Math.max(...nonzero);
    const min = Math.min(...nonzero);
    const sci = nonzero.length > 0 && (max / min > 1000 || max > 1e8 || min < 1e-4);
    fmt = sci ? (v) => v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2') : (v) => v.toFixed(4);
  }
  const width = Math.max(...values.map((v) => fmt(v).length));
  return (v) => fmt(v).padStart(width);
}

function body(
  shape: number[],
  index: number[],
  indent: number,
  summarize: boolean,
  valueAt: (index: number[]) => number,
  format: (v: number) => string,
): string {
  const dim = shape.length - index.length;
  const size = shape[index.length]!;
  const shown = shownIndices(size, summarize);
  const split = Array.isArray(shown[0]);
  const head = split ? (shown[0] as number[]) : (shown as number[]);
  const tail = split ? (shown[1] as number[]) : [];
  if (dim === 1) {
    const data = [...head.map((i) => format(valueAt([...index, i]))), ...(split ? [' ...'] : []), ...tail.map((i) => format(valueAt([...index, i])))];
    const elementLength = format(0).length + 2;
    const perLine = Math.max(1, Math.floor((LINEWIDTH - indent) / elementLength));
    const lines: string[] = [];
    for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(', '));
    return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
  }
  const slices = [
    ...head.map((i) => body(shape, [...index, i], indent + 1, summarize, valueAt, format)),
    ...(split ? ['...'] : []),
    ...tail.map((i) => body(shape, [...index, i], indent + 1, summarize, valueAt, format)),
  ];
  return `[${slices.join(`,${'\n'.repeat(dim - 1)}${' '.repeat(indent + 1)}`)}]`;
}
