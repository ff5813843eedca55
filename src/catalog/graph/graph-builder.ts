import type { ApiGraph, ApiNode, InputValue, NodeId } from '../../comfy/graph.js';
import { NODE_OUTPUTS, type NodeClass, type NodeInputs } from '../nodes/generated.js';
import { NodeIdTakenError } from './errors/node-id-taken-error.js';
import { UnknownOutputError } from './errors/unknown-output-error.js';
import type { AnySocketLink, LinkOf } from './socket-link.js';

type OutputTable = { readonly types: readonly string[]; readonly names: readonly string[] };
type OutputsOf<C> = C extends NodeClass ? (typeof NODE_OUTPUTS)[C] : OutputTable;
type TupleIndex<T extends readonly unknown[]> = number extends T['length'] ? number : Exclude<Partial<T>['length'], T['length']>;
type IndexOf<T extends readonly unknown[], V, Seen extends unknown[] = []> = T extends readonly [infer H, ...infer R]
  ? H extends V
    ? Seen['length']
    : IndexOf<R, V, [...Seen, unknown]>
  : never;

/** An output reference: its index, or its name as object_info lists it (`'MODEL'`, `'latent'`). */
export type OutputKey<C> = TupleIndex<OutputsOf<C>['types']> | OutputsOf<C>['names'][number];
type OutputLink<C, K> = K extends number
  ? LinkOf<OutputsOf<C>['types'][K]>
  : LinkOf<OutputsOf<C>['types'][IndexOf<OutputsOf<C>['names'], K>]>;

export interface NodeOptions {
  /** Shown as `_meta.title`; defaults to the class type. */
  title?: string;
  /** A fixed id; by default nodes are numbered "1", "2", … in creation order, so builds are stable. */
  id?: NodeId;
}

/** A node added to a {@link GraphBuilder}; `out()` makes typed links to its outputs. */
export class NodeRef<C extends string = string> {
  constructor(
    readonly id: NodeId,
    readonly classType: C,
    private readonly outputs: OutputTable | undefined,
  ) {}

  /** A link to one output, by index (`out(1)`) or by name (`out('CLIP')`). */
  out<K extends OutputKey<C>>(key: K): OutputLink<C, K> {
    return [this.id, this.indexOf(key as string | number)] as unknown as OutputLink<C, K>;
  }

  private indexOf(key: string | number): number {
    if (!this.outputs) {
      if (typeof key === 'number') return key;
      throw new UnknownOutputError(this.classType, key, []);
    }
    const index = typeof key === 'number' ? key : this.outputs.names.indexOf(key);
    if (!Number.isInteger(index) || index < 0 || index >= this.outputs.types.length) {
      throw new UnknownOutputError(this.classType, key, this.outputs.names);
    }
    return index;
  }
}

/**
 * Builds an API-format graph with compile-time checked inputs:
 *
 * ```ts
 * const g = new GraphBuilder();
 * const ckpt = g.node('CheckpointLoaderSimple', { ckpt_name: 'v1-5-pruned-emaonly-fp16.safetensors' });
 * const pos = g.node('CLIPTextEncode', { clip: ckpt.out('CLIP'), text: 'a lighthouse' });
 * g.build(); // { "1": {class_type: "CheckpointLoaderSimple", …}, "2": … }
 * ```
 */
export class GraphBuilder {
  private readonly nodes: ApiGraph;
  private nextId: number;

  constructor(base: ApiGraph = {}) {
    this.nodes = structuredClone(base);
    const numeric = Object.keys(base).filter((id) => /^\d+$/.test(id)).map(Number);
    this.nextId = numeric.length ? Math.max(...numeric) + 1 : 1;
  }

  /** Adds a node of a known class; unknown input names or wrong socket types do not compile. */
  node<C extends NodeClass>(classType: C, inputs: NodeInputs[C], options: NodeOptions = {}): NodeRef<C> {
    return this.add(classType, inputs as unknown as Record<string, InputValue | undefined>, options) as NodeRef<C>;
  }

  /** Adds a node of a class outside the generated set (a user's custom node); inputs are unchecked. */
  raw(classType: string, inputs: Record<string, InputValue | undefined>, options: NodeOptions = {}): NodeRef<string> {
    return this.add(classType, inputs, options);
  }

  /** A reference to a node already in the graph (for transforms that extend a built graph). */
  ref(id: NodeId): NodeRef<string> {
    const node = this.nodes[id];
    if (!node) throw new UnknownOutputError(`node ${id}`, 0, []);
    return new NodeRef(id, node.class_type, outputTableOf(node.class_type));
  }

  /** Sets (or with `undefined` removes) one input of an existing node. */
  setInput(id: NodeId, input: string, value: InputValue | AnySocketLink | undefined): void {
    const node = this.nodes[id];
    if (!node) throw new UnknownOutputError(`node ${id}`, input, []);
    if (value === undefined) delete node.inputs[input];
    else node.inputs[input] = value;
  }

  /** The graph so far, without copying; do not mutate it (use `setInput`). */
  view(): Readonly<ApiGraph> {
    return this.nodes;
  }

  /** A deep copy of the graph so far. */
  build(): ApiGraph {
    return structuredClone(this.nodes);
  }

  private add(classType: string, inputs: Record<string, InputValue | undefined>, options: NodeOptions): NodeRef<string> {
    const id = options.id ?? this.freshId();
    if (this.nodes[id]) throw new NodeIdTakenError(id);
    const clean: Record<string, InputValue> = {};
    for (const [name, value] of Object.entries(inputs)) {
      if (value !== undefined) clean[name] = Array.isArray(value) ? [...value] as InputValue : value;
    }
    const node: ApiNode = { class_type: classType, inputs: clean, _meta: { title: options.title ?? classType } };
    this.nodes[id] = node;
    return new NodeRef(id, classType, outputTableOf(classType));
  }

  private freshId(): NodeId {
    while (this.nodes[String(this.nextId)]) this.nextId++;
    return String(this.nextId++);
  }
}

/** Output types and names of a class from the generated table, if it is known. */
export function outputTableOf(classType: string): OutputTable | undefined {
  return (NODE_OUTPUTS as Record<string, OutputTable>)[classType];
}
