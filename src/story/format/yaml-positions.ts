import { isMap, isPair, isScalar, isSeq, type LineCounter, type Node as YamlNode } from 'yaml';
import { formatFieldPath, type FieldPath } from './field-path.js';

export interface Position {
  line: number;
  column: number;
}

/**
 * Where each field of a parsed YAML document sits, so errors can name `file:line:column`.
 * `key` is where a mapping key starts, `value` where its value (or a list item) starts.
 */
export class YamlPositions {
  private readonly entries = new Map<string, { key?: Position; value?: Position }>();

  constructor(root: unknown, counter: LineCounter) {
    const at = (node: unknown): Position | undefined => {
      const offset = (node as YamlNode | null)?.range?.[0];
      if (offset === undefined) return undefined;
      const { line, col } = counter.linePos(offset);
      return { line, column: col };
    };
    const visit = (node: unknown, path: Array<string | number>): void => {
      if (isMap(node)) {
        for (const item of node.items) {
          if (!isPair(item)) continue;
          const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
          const childPath = [...path, key];
          this.entries.set(formatFieldPath(childPath), { key: at(item.key), value: at(item.value) ?? at(item.key) });
          visit(item.value, childPath);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, index) => {
          const childPath = [...path, index];
          const position = at(item);
          this.entries.set(formatFieldPath(childPath), { key: position, value: position });
          visit(item, childPath);
        });
      }
    };
    this.entries.set('', { value: at(root) ?? { line: 1, column: 1 } });
    visit(root, []);
  }

  /** The position of a key (or, with `value`, its value); falls back to the nearest ancestor that exists. */
  locate(path: FieldPath, part: 'key' | 'value' = 'value'): Position | undefined {
    for (let length = path.length; length >= 0; length--) {
      const entry = this.entries.get(formatFieldPath(path.slice(0, length)));
      if (!entry) continue;
      // A missing field is reported at its parent's key, where the user would add it.
      if (length < path.length) return entry.key ?? entry.value;
      return (part === 'key' ? entry.key : entry.value) ?? entry.key;
    }
    return undefined;
  }
}
