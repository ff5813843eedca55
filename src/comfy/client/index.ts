export { ComfyClient } from './comfy-client.js';
export type { ComfyClientOptions } from './options.js';
export type { WorkerEndpoint } from './endpoint.js';
export type { ComfyLogger } from './logger.js';
export type { JobHandle, JobEvent, JobResult, SubmitOptions, AttachOptions, OutputFile, OutputFileKind, OutputFileRef, OutputFileType } from './job-types.js';
export type { DownloadedFile } from './download.js';
export type { UploadOptions, MaskUploadOptions, UploadedFile } from './upload.js';
export { fullJitterDelay, type BackoffPolicy } from './backoff.js';
export type { SlowRequest } from './http-transport.js';
