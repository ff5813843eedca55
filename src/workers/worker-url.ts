import { InvalidWorkerUrlError } from './errors/invalid-worker-url-error.js';

/**
 * Checks a worker address before it is stored: http(s), a host, the `//` a user meant, and
 * no user:password (those would be printed with the URL; tokens go in `--token`).
 * Returns the URL without a trailing slash.
 */
export function normalizeWorkerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new InvalidWorkerUrlError(text, 'it does not parse as a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidWorkerUrlError(text, `the scheme must be http or https, not ${url.protocol.replace(/:$/, '')}`);
  }
  if (!url.hostname) throw new InvalidWorkerUrlError(text, 'it has no host name');
  if (!/^https?:\/\//i.test(text.trim())) throw new InvalidWorkerUrlError(text, 'it lacks the // after the scheme');
  if (url.username || url.password) throw new InvalidWorkerUrlError(text, 'it contains credentials; pass a token with --token instead');
  if (url.search || url.hash) throw new InvalidWorkerUrlError(text, 'it has a query or fragment; give the base address only');
  return url.href.replace(/\/+$/, '');
}

/** `host:port` of a worker URL, the name a worker gets when none is given. */
export function defaultNameFor(url: string): string {
  const parsed = new URL(url);
  return parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname;
}
