import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ApiError } from './errors/api-error.js';

/** Addresses a URL set through the API must not reach unless the config allows it (SSRF). */
const blocked = new BlockList();
blocked.addSubnet('127.0.0.0', 8, 'ipv4');      // loopback
blocked.addSubnet('169.254.0.0', 16, 'ipv4');   // link-local, incl. cloud metadata 169.254.169.254
blocked.addSubnet('0.0.0.0', 8, 'ipv4');        // "this host"
blocked.addSubnet('100.100.100.200', 32, 'ipv4'); // Alibaba metadata
blocked.addAddress('::1', 'ipv6');
blocked.addAddress('::', 'ipv6');
blocked.addSubnet('fe80::', 10, 'ipv6');        // link-local
blocked.addSubnet('fd00:ec2::', 32, 'ipv6');    // AWS metadata over IPv6
blocked.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');
blocked.addSubnet('::ffff:169.254.0.0', 112, 'ipv6');

const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata', 'instance-data', 'localhost']);

function isBlocked(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Refuses URLs to loopback, link-local and metadata addresses (by literal address, by name,
 * and by what the name resolves to) unless `allowPrivate` (config server.allowPrivateUrls).
 */
export async function assertPublicUrl(text: string, field: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ApiError(400, 'BAD_URL', `'${text.slice(0, 200)}' is not a URL`, { field, hint: 'send an http(s) URL such as http://gpu-box:8188' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ApiError(400, 'BAD_URL', `the scheme must be http or https, not ${url.protocol.replace(/:$/, '')}`, { field, hint: 'use http:// or https://' });
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const refuse = (what: string) => new ApiError(400, 'URL_NOT_ALLOWED', `${field} points at ${what} (${host})`, {
    field, hint: 'use the worker\'s network address; to allow loopback and link-local addresses set server.allowPrivateUrls: true in the config',
  });
  if (METADATA_NAMES.has(host) || host.endsWith('.localhost')) throw refuse('a loopback or metadata name');
  if (isIP(host)) {
    if (isBlocked(host)) throw refuse('a loopback, link-local or metadata address');
    return url;
  }
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    throw new ApiError(400, 'URL_UNRESOLVED', `${field}: the host ${host} does not resolve`, { field, hint: 'check the host name' });
  }
  if (addresses.some((a) => isBlocked(a.address))) throw refuse('a name that resolves to a loopback, link-local or metadata address');
  return url;
}
