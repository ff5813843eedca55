import { describe, expect, it } from 'vitest';
import type { ApiGraph } from './graph.js';
import { describeCycle, findCycle } from './graph-cycle.js';

const node = (class_type: string, inputs: ApiGraph[string]['inputs'] = {}) => ({ class_type, inputs });

describe('findCycle', () => {
  it('finds no cycle in a diamond, and the nodes of a three-node loop in link order', () => {
    const diamond: ApiGraph = { a: node('A'), b: node('B', { x: ['a', 0] }), c: node('C', { x: ['a', 0] }), d: node('D', { x: ['b', 0], y: ['c', 0] }) };
    expect(findCycle(diamond)).toBeUndefined();
    const loop: ApiGraph = { s: node('Save', { x: ['p', 0] }), p: node('P', { x: ['q', 0] }), q: node('Q', { x: ['r', 0] }), r: node('R', { x: ['p', 0] }) };
    const cycle = findCycle(loop)!;
    expect(cycle).toEqual(['p', 'r', 'q']);
    expect(describeCycle(loop, cycle)).toBe('p (P) → r (R) → q (Q) → p');
  });

  it('a node linked to itself is a cycle; a link to a missing node is not', () => {
    expect(findCycle({ a: node('A', { x: ['a', 0] }) })).toEqual(['a']);
    expect(findCycle({ a: node('A', { x: ['zz', 0] }) })).toBeUndefined();
  });

  it('walks a long chain without overflowing the stack', () => {
    const chain: ApiGraph = {};
    for (let i = 0; i < 50_000; i++) chain[String(i)] = node('N', i > 0 ? { x: [String(i - 1), 0] } : {});
    expect(findCycle(chain)).toBeUndefined();
    chain['0'] = node('N', { x: ['49999', 0] });
    expect(findCycle(chain)).toHaveLength(50_000);
  });
});
