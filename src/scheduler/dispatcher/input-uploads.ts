import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import type { ComfyClient } from '../../comfy/client/comfy-client.js';
import { InputMissingError } from './errors/input-missing-error.js';
import type { InputRef } from './job-payload.js';

/** A job input ready to upload: where it is and what it hashes to. */
export interface ResolvedInput {
  name: string;
  path: string;
  sha256: string;
  /** The `LoadImage`-style value the graph uses: `storycore/<sha256><ext>`. */
  inputValue: string;
}

export type InputResolver = (sha256: string) => Promise<string | undefined>;

const SUBFOLDER = 'storycore';

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Inputs uploaded once per worker per sha256. Files are named by their hash in the worker's
 * `input/storycore/` folder, so the graph can be built (and preflighted) before the upload, a
 * re-upload overwrites identical bytes, and two jobs sharing an image share one upload
 * (concurrent callers join the one in flight). `forget(worker)` drops the cache when the
 * worker restarted or went down.
 */
export class InputUploads {
  private readonly done = new Map<string, Map<string, Promise<void>>>();

  constructor(private readonly resolve?: InputResolver) {}

  async prepare(jobId: string, input: InputRef): Promise<ResolvedInput> {
    let path = input.path;
    if (!path && input.sha256 && this.resolve) path = await this.resolve(input.sha256);
    if (!path) throw new InputMissingError(jobId, input.name, input.sha256 ? `no path, and no resolver found sha256 ${input.sha256}` : 'no path');
    let sha256: string;
    try {
      sha256 = input.sha256 ?? (await sha256File(path));
    } catch (error) {
      throw new InputMissingError(jobId, input.name, error instanceof Error ? error.message : String(error));
    }
    return { name: input.name, path, sha256, inputValue: `${SUBFOLDER}/${sha256}${extname(path).toLowerCase()}` };
  }

  /** Uploads unless this worker already has it; resolves when the worker has the file. */
  upload(worker: string, client: ComfyClient, input: ResolvedInput): Promise<void> {
    let files = this.done.get(worker);
    if (!files) this.done.set(worker, (files = new Map()));
    const known = files.get(input.sha256);
    if (known) return known;
    const filename = input.inputValue.slice(SUBFOLDER.length + 1);
    const pending = client.uploadImage(input.path, { filename, subfolder: SUBFOLDER, overwrite: true }).then(() => undefined);
    files.set(input.sha256, pending);
    // A failed upload is not cached: the next job tries again.
    pending.catch(() => files.delete(input.sha256));
    return pending;
  }

  uploadsFor(worker: string): number {
    return this.done.get(worker)?.size ?? 0;
  }

  forget(worker: string): void {
    this.done.delete(worker);
  }
}
