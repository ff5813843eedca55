import { StoryCoreError } from '../../errors/storycore-error.js';

/** A worker address that is not an http(s) URL with a host, refused before it is stored. */
export class InvalidWorkerUrlError extends StoryCoreError {
  readonly url: string;

  constructor(url: string, reason: string) {
    super('WORKER_URL_INVALID', `'${url}' is not a worker URL: ${reason}`, {
      hint: 'give the ComfyUI address as http://host:port, e.g. http://127.0.0.1:8188',
    });
    this.url = url;
  }
}
