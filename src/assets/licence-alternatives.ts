import { modelByFile } from '../catalog/models/index.js';
import { allTemplates, templateById, type AnyTemplate } from '../catalog/templates/index.js';

/**
 * Which templates could replace one that loads a model a commercial project may not use:
 * templates sharing a capability with it whose every model (at default parameters) is known and
 * cleared for commercial use, best quality first.
 */
interface TemplateLicenceFacts {
  template: AnyTemplate;
  modelIds: Set<string>;
  commercialOk: boolean;
}

let table: TemplateLicenceFacts[] | undefined;

function facts(): TemplateLicenceFacts[] {
  table ??= allTemplates().map((template) => {
    const modelIds = new Set<string>();
    let commercialOk = true;
    let models: { file: string }[] = [];
    try {
      models = template.requirements().models;
    } catch {
      commercialOk = false; // a template that cannot build at defaults is never suggested
    }
    for (const { file } of models) {
      const hit = modelByFile(file);
      if (hit) modelIds.add(hit.model.id);
      if (!hit?.model.licence.commercialUse) commercialOk = false;
    }
    return { template, modelIds, commercialOk };
  });
  return table;
}

/** Templates that can stand in for `templateIds`, or for any template loading `file`'s model when none are named. */
export function commercialAlternatives(file: string, templateIds: readonly string[], limit = 2): AnyTemplate[] {
  const modelId = modelByFile(file)?.model.id;
  const using = templateIds.length
    ? templateIds.map(knownTemplate).filter((t): t is AnyTemplate => t !== undefined)
    : facts().filter((f) => modelId !== undefined && f.modelIds.has(modelId)).map((f) => f.template);
  const wanted = new Set(using.flatMap((t) => [...t.capabilities]));
  const excluded = new Set(using.map((t) => t.id));
  return facts()
    .filter((f) => f.commercialOk && !excluded.has(f.template.id) && f.template.capabilities.some((c) => wanted.has(c)))
    .map((f) => f.template)
    .sort((a, b) => b.scores.quality - a.scores.quality || a.id.localeCompare(b.id))
    .slice(0, limit);
}

function knownTemplate(id: string): AnyTemplate | undefined {
  try {
    return templateById(id);
  } catch {
    return undefined;
  }
}
