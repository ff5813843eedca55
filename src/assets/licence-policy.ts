import { modelByFile } from '../catalog/models/index.js';
import { templateById } from '../catalog/templates/index.js';
import { LicencePolicyError } from './errors/licence-policy-error.js';
import { commercialAlternatives } from './licence-alternatives.js';

/** A model file a planned task will load, and what it is for (shown in the message). */
export interface PlannedModel {
  file: string;
  folder: string;
  /** Where it is used, e.g. `shot-003 clip`. */
  usedBy?: string;
  /** The template that loads it, to suggest a replacement with the same capability. */
  templateId?: string;
}

export interface LicenceCheckInput {
  commercial: boolean;
  models: readonly PlannedModel[];
  /** Allow files the catalogue does not know: `true` for all, or a list of file names. */
  allowUnknown?: boolean | readonly string[];
}

export interface LicenceViolation {
  file: string;
  folder: string;
  /** The catalogue model's name, or the file name when it is not in the catalogue. */
  model: string;
  modelId?: string;
  licence: string;
  licenceUrl?: string;
  reason: 'non-commercial' | 'unknown-licence';
  usedBy: string[];
  /** One line naming the model, its licence and the fix. */
  message: string;
}

export interface LicenceCheckResult {
  ok: boolean;
  violations: LicenceViolation[];
}

/**
 * The licence policy, applied at plan time: in a commercial project every model must be in the
 * catalogue with a licence that allows commercial use; unknown files pass only when
 * `allowUnknown` says so. Non-commercial projects may use anything. One violation per file,
 * listing every place it is used.
 *
 * @example checkLicences({ commercial: true, models: template.requirements(params).models })
 */
export function checkLicences(input: LicenceCheckInput): LicenceCheckResult {
  if (!input.commercial) return { ok: true, violations: [] };
  const byFile = new Map<string, { folder: string; usedBy: string[]; templateIds: string[] }>();
  for (const m of input.models) {
    const entry = byFile.get(m.file) ?? { folder: m.folder, usedBy: [], templateIds: [] };
    if (m.usedBy && !entry.usedBy.includes(m.usedBy)) entry.usedBy.push(m.usedBy);
    if (m.templateId && !entry.templateIds.includes(m.templateId)) entry.templateIds.push(m.templateId);
    byFile.set(m.file, entry);
  }
  const violations: LicenceViolation[] = [];
  for (const [file, use] of byFile) {
    const where = use.usedBy.length ? use.usedBy.join(', ') : 'this commercial project';
    const hit = modelByFile(file);
    if (!hit) {
      if (unknownAllowed(input.allowUnknown, file)) continue;
      violations.push({
        file, folder: use.folder, model: file, licence: 'unknown', reason: 'unknown-licence', usedBy: use.usedBy,
        message: `${file} (${use.folder}) has no known licence, needed in ${where}: add it to the model catalogue with its licence, allow it with allowUnknown: ['${file}'], or set commercial: false`,
      });
      continue;
    }
    const { model } = hit;
    if (model.licence.commercialUse) continue;
    violations.push({
      file, folder: use.folder, model: model.name, modelId: model.id, licence: model.licence.name, licenceUrl: model.licence.url,
      reason: 'non-commercial', usedBy: use.usedBy,
      message: `${model.name} (${model.licence.name}) forbids commercial use in ${where}: ${fixFor(file, use.templateIds)} or set commercial: false (${model.licence.url})`,
    });
  }
  return { ok: violations.length === 0, violations };
}

/** `checkLicences`, throwing LicencePolicyError when anything is refused. */
export function assertLicences(input: LicenceCheckInput): void {
  const result = checkLicences(input);
  if (!result.ok) throw new LicencePolicyError(result.violations);
}

/** The models each planned task loads (its template's requirements at those parameters), labelled for messages. */
export function plannedModels(tasks: readonly { templateId: string; params?: unknown; usedBy?: string }[]): PlannedModel[] {
  return tasks.flatMap((task) =>
    templateById(task.templateId)
      .requirements(task.params ?? {})
      .models.map((m) => ({ file: m.file, folder: m.folder, templateId: task.templateId, ...(task.usedBy ? { usedBy: task.usedBy } : {}) })),
  );
}

function unknownAllowed(allow: LicenceCheckInput['allowUnknown'], file: string): boolean {
  return allow === true || (Array.isArray(allow) && allow.includes(file));
}

function fixFor(file: string, templateIds: readonly string[]): string {
  const alternatives = commercialAlternatives(file, templateIds);
  if (!alternatives.length) return 'choose a template whose models allow commercial use';
  return `choose ${alternatives.map((t) => `${t.title} (${t.id})`).join(' or ')}`;
}
