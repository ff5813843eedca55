import { existsSync } from 'node:fs';
import { basename, relative, sep } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import { renderAttribution, type UsedModel } from './attribution.js';
import type { ManifestModel, TaskOutput } from './manifest.js';
import { listObjects } from './object-listing.js';
import { renderReferences } from './render-links.js';
import { layoutOf, type StoreLayout } from './store-layout.js';
import { storycoreVersion } from './storycore-version.js';
import { TaskIndex } from './task-index.js';

export const PROVENANCE_SCHEMA = 'storycore.provenance/1';

/** One recorded output in provenance.json: the asset and a summary of its manifest. */
export interface ProvenanceAsset extends TaskOutput {
  taskHash: string;
  template: { id: string; version: string };
  promptId: string;
  worker: { name: string; gpu?: string; comfyuiVersion?: string };
  createdAt: string;
  inputs: { role: string; sha256: string }[];
  models: { file: string; licence: string; commercialUse: boolean | null }[];
  /** Readable links under renders/ that show this asset. */
  links: string[];
  /** The full sidecar, relative to the project. */
  manifest: string;
}

export interface ProvenanceDocument {
  schema: typeof PROVENANCE_SCHEMA;
  project: string;
  storycoreVersion: string;
  tasks: number;
  /** True when every model used allows commercial use; null when some licence is unknown. */
  commercialUse: boolean | null;
  assets: ProvenanceAsset[];
  models: UsedModel[];
}

export interface ProvenanceReport {
  provenancePath: string;
  attributionPath: string;
  document: ProvenanceDocument;
}

/**
 * Rebuilds `provenance.json` (every recorded asset with its manifest summary and links) and
 * `ATTRIBUTION.md` (every model and licence used) at the project root, both from the index.
 * Deterministic for the same index and links (no generation timestamp), so they diff cleanly.
 */
export async function writeProvenance(projectDir: string | StoreLayout, index?: TaskIndex): Promise<ProvenanceReport> {
  const layout = layoutOf(projectDir);
  const own = !index && existsSync(layout.index) ? new TaskIndex(layout.index) : undefined;
  try {
    const document = await buildProvenance(layout, index ?? own);
    await writeFileAtomic(layout.provenance, `${JSON.stringify(document, null, 2)}\n`);
    await writeFileAtomic(layout.attribution, renderAttribution(document.models, document.storycoreVersion));
    return { provenancePath: layout.provenance, attributionPath: layout.attribution, document };
  } finally {
    own?.close();
  }
}

async function buildProvenance(layout: StoreLayout, index: TaskIndex | undefined): Promise<ProvenanceDocument> {
  const tasks = index?.tasks() ?? [];
  const links = await renderReferences(layout, await listObjects(layout));
  const assets: ProvenanceAsset[] = [];
  const models = new Map<string, { model: ManifestModel; assets: Set<string> }>();
  for (const task of tasks) {
    const m = task.manifest;
    for (const output of task.outputs) {
      assets.push({
        ...output,
        taskHash: task.taskHash,
        template: m.template,
        promptId: m.promptId,
        worker: { name: m.worker.name, ...(m.worker.gpu ? { gpu: m.worker.gpu } : {}), ...(m.worker.comfyuiVersion ? { comfyuiVersion: m.worker.comfyuiVersion } : {}) },
        createdAt: m.createdAt,
        inputs: m.inputs,
        models: m.models.map((x) => ({ file: x.file, licence: x.licence.name, commercialUse: x.licence.commercialUse })),
        links: (links.get(output.sha256) ?? []).sort(),
        manifest: relative(layout.project, layout.manifestPath(output.sha256)).split(sep).join('/'),
      });
      for (const model of m.models) {
        const key = `${model.folder}/${model.file}`;
        const entry = models.get(key) ?? { model, assets: new Set<string>() };
        entry.assets.add(output.sha256);
        models.set(key, entry);
      }
    }
  }
  assets.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.taskHash.localeCompare(b.taskHash) || a.role.localeCompare(b.role) || a.sha256.localeCompare(b.sha256));
  const used: UsedModel[] = [...models.values()]
    .map(({ model, assets: shas }) => ({ ...model, assets: shas.size }))
    .sort((a, b) => a.folder.localeCompare(b.folder) || a.file.localeCompare(b.file));
  const commercialUse = used.some((m) => m.licence.commercialUse === false) ? false : used.some((m) => m.licence.commercialUse === null) ? null : true;
  return { schema: PROVENANCE_SCHEMA, project: basename(layout.project), storycoreVersion: storycoreVersion(), tasks: tasks.length, commercialUse, assets, models: used };
}
