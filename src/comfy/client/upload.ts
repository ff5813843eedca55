import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import type { OutputFileRef } from '../protocol/output-files.js';

export interface UploadOptions {
  /** Target name on the worker; default: the basename of a path argument. */
  filename?: string;
  subfolder?: string;
  type?: 'input' | 'temp' | 'output';
  /** Replace a different file of the same name instead of getting "name (1).png". */
  overwrite?: boolean;
}

export interface MaskUploadOptions extends UploadOptions {
  /** The image whose alpha the mask replaces (ComfyUI requires it). */
  originalRef: OutputFileRef;
}

export interface UploadedFile {
  name: string;
  subfolder: string;
  type: string;
  /** The value a `LoadImage.image` input takes: `sub/name.png`, with ` [temp]`/` [output]` when not input. */
  inputValue: string;
}

/** Builds the multipart body of `/upload/image` and `/upload/mask`; a path is streamed from disk. */
export async function uploadForm(data: string | Uint8Array | Blob, options: UploadOptions & { originalRef?: OutputFileRef }): Promise<FormData> {
  const filename = options.filename ?? (typeof data === 'string' ? basename(data) : undefined);
  if (!filename) throw new TypeError('upload needs options.filename when data is not a path');
  const blob = typeof data === 'string' ? await openAsBlob(data) : data instanceof Blob ? data : new Blob([data as Uint8Array<ArrayBuffer>]);
  const form = new FormData();
  form.append('image', blob, filename);
  form.append('type', options.type ?? 'input');
  if (options.subfolder) form.append('subfolder', options.subfolder);
  if (options.overwrite) form.append('overwrite', 'true');
  if (options.originalRef) form.append('original_ref', JSON.stringify(options.originalRef));
  return form;
}

export function loadImageValue(file: { name: string; subfolder: string; type: string }): string {
  const path = file.subfolder ? `${file.subfolder}/${file.name}` : file.name;
  return file.type === 'input' ? path : `${path} [${file.type}]`;
}
