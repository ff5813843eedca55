export { AssetStore, type AssetStoreOptions, type LinkResult } from './asset-store.js';
export { canonicalJson } from './canonical-json.js';
export { taskHash, taskHashFor, type TaskIdentity } from './task-hash.js';
export {
  ASSET_KINDS, MANIFEST_SCHEMA, assetManifestSchema, buildTaskManifest, taskManifestSchema, taskOutputSchema,
  type AssetKind, type AssetManifest, type AssetRole, type ManifestModel, type TaskManifest, type TaskOutput, type TaskRunFacts,
  type Timings, type WorkerInfo,
} from './manifest.js';
export { describeModels, UNKNOWN_LICENCE, type ModelUse } from './manifest-models.js';
export type { IngestOptions, IngestResult, IngestSource } from './object-writer.js';
export type { IndexedTask } from './task-index.js';
export type { LinkMode } from './render-links.js';
export type { TmpCleanupReport } from './tmp-cleanup.js';
export { collectGarbage, type GcOptions, type GcReport } from './gc.js';
export { writeProvenance, PROVENANCE_SCHEMA, type ProvenanceAsset, type ProvenanceDocument, type ProvenanceReport } from './provenance.js';
export { renderAttribution, type UsedModel } from './attribution.js';
export { assertLicences, checkLicences, plannedModels, type LicenceCheckInput, type LicenceCheckResult, type LicenceViolation, type PlannedModel } from './licence-policy.js';
export { StoreLayout } from './store-layout.js';
export { isSha256 } from './sha256.js';
export { AssetHashMismatchError } from './errors/asset-hash-mismatch-error.js';
export { AssetStoreInputError } from './errors/asset-store-input-error.js';
export { LicencePolicyError } from './errors/licence-policy-error.js';
export { MissingObjectError } from './errors/missing-object-error.js';
export { StoreLockedError } from './errors/store-locked-error.js';
export { TaskHashInputError } from './errors/task-hash-input-error.js';
