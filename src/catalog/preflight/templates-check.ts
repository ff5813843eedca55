import { allTemplates } from '../templates/registry.js';
import type { AnyTemplate } from '../templates/template.js';
import { preflight } from './preflight.js';
import type { PreflightProblem, PreflightReport, WorkerInventory } from './types.js';

/** Whether one template runs on a worker, and if not, what it lacks. */
export interface TemplateReadiness {
  template: string;
  title: string;
  runs: boolean;
  missing: { nodePacks: string[]; models: string[] };
  problems: PreflightProblem[];
  report: PreflightReport;
}

/**
 * Preflights every catalogue template (default parameters) against one inventory: which run
 * as they are, and which lack a node pack, a model file, VRAM or something else.
 */
export function preflightTemplates(inventory: WorkerInventory, templates: readonly AnyTemplate[] = allTemplates()): TemplateReadiness[] {
  return templates.map((template) => {
    const report = preflight(template.build({}), inventory, { template, params: {} });
    return {
      template: template.id,
      title: template.title,
      runs: report.ok,
      missing: {
        nodePacks: report.toInstall.nodePacks.map((p) => p.pack),
        models: report.toInstall.models.map((m) => `${m.folder}/${m.file}`),
      },
      problems: report.problems,
      report,
    };
  });
}
