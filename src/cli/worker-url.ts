import { blockedPortReason, isFetchBlockedPort } from '../platform/fetch-bad-ports.js';
import { WorkerUrlError } from './errors/worker-url-error.js';

/**
 * Checks a worker address before it reaches fetch, whose own errors ("unknown scheme",
 * "Invalid URL") do not say what to type instead. Returns the URL without a trailing slash.
 */
export function parseWorkerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WorkerUrlError(text, 'it does not parse as a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WorkerUrlError(text, `the scheme must be http or https, not ${url.protocol.replace(/:$/, '')}`);
  }
  if (!url.hostname) throw new WorkerUrlError(text, 'it has no host name');
  // "http:/x" parses as host "x" in WHATWG URL rules; insist on the two slashes a user meant.
  if (!/^https?:\/\//i.test(text)) throw new WorkerUrlError(text, 'it lacks the // after the scheme');
  const port = Number(url.port);
  if (url.port !== '' && isFetchBlockedPort(port)) throw new WorkerUrlError(text, blockedPortReason(port));
  return url.href.replace(/\/+$/, '');
}
