import type { ApiGraph } from '../../comfy/graph.js';
import { installHint, nodePackOf } from '../../comfy/object-info/extra-nodes.js';
import type { NodePackToInstall, PreflightProblem, WorkerInventory } from './types.js';

export interface NodeCheck {
  problems: PreflightProblem[];
  packs: NodePackToInstall[];
  /** Classes the worker lacks. */
  missing: Set<string>;
}

/**
 * One `missing_node` problem per node class the worker does not define, naming the pack that
 * provides it (from the node schema sources) and how to install it.
 */
export function checkNodes(graph: ApiGraph, inventory: WorkerInventory): NodeCheck {
  const byClass = new Map<string, string[]>();
  for (const [nodeId, node] of Object.entries(graph)) {
    if (typeof node?.class_type !== 'string' || Object.hasOwn(inventory.objectInfo, node.class_type)) continue;
    const ids = byClass.get(node.class_type) ?? [];
    ids.push(nodeId);
    byClass.set(node.class_type, ids);
  }

  const problems: PreflightProblem[] = [];
  const packs = new Map<string, NodePackToInstall>();
  const unreadable = new Map((inventory.unreadableNodes ?? []).map((n) => [n.name, n.problem]));
  for (const [classType, ids] of byClass) {
    const nodes = `${ids.length === 1 ? 'node' : 'nodes'} ${ids.join(', ')} (${classType})`;
    const problem = unreadable.get(classType);
    if (problem !== undefined) {
      problems.push({
        kind: 'unreadable_node',
        nodeId: ids[0]!,
        classType,
        message: `${nodes}: the worker has this node, but its /object_info definition could not be read (${problem}), so it was skipped and the graph cannot be checked`,
        fix: `use a graph without ${classType}, or report its /object_info entry (curl <worker>/object_info/${classType}) to StoryCore`,
      });
      continue;
    }
    const pack = nodePackOf(classType);
    if (!pack) {
      problems.push({
        kind: 'missing_node',
        nodeId: ids[0]!,
        classType,
        message: `${nodes}: the worker has no ${classType} node and no known pack provides it`,
        fix: `find the custom node pack that defines ${classType} (ComfyUI-Manager: "Install Missing Custom Nodes") and install it on the worker`,
      });
      continue;
    }
    const core = pack.pack === 'core';
    problems.push({
      kind: 'missing_node',
      nodeId: ids[0]!,
      classType,
      pack: pack.pack,
      repository: pack.repository,
      message: core
        ? `${nodes}: the worker's ComfyUI is older than this node (core, ${pack.repository})`
        : `${nodes}: not on the worker; it comes from the ${pack.pack} pack (${pack.repository})`,
      fix: installHint(classType) ?? (core ? `update ComfyUI (${pack.repository})` : `install ${pack.pack} (${pack.repository})`),
    });
    const entry = packs.get(pack.pack) ?? { pack: pack.pack, repository: pack.repository, classes: [] };
    entry.classes.push(classType);
    packs.set(pack.pack, entry);
  }
  return { problems, packs: [...packs.values()], missing: new Set(byClass.keys()) };
}
