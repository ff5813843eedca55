/**
 * Recognises the errors Node's fetch, net and ws raise when a server cannot be reached, and
 * says in one line what to check. They arrive as `TypeError: fetch failed` with the real
 * reason in `cause` (sometimes an AggregateError of one attempt per address).
 */
export interface NetworkFailure {
  code: string;
  message: string;
  hint: string;
}

interface ErrnoLike {
  code?: unknown;
  message?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  cause?: unknown;
  errors?: unknown;
}

export function describeNetworkError(error: unknown, target?: string): NetworkFailure | undefined {
  const reason = findReason(error, 0);
  if (!reason) return undefined;
  const where = target ?? addressOf(reason.raw);
  const at = where ? ` ${where}` : '';
  switch (reason.code) {
    case 'ECONNREFUSED':
      return {
        code: 'NETWORK_CONNECTION_REFUSED',
        message: `nothing is listening at${at || ' the worker address'} (connection refused)`,
        hint: 'check that ComfyUI (or `storycore sim`) is running there and that the port is right',
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return {
        code: 'NETWORK_HOST_NOT_FOUND',
        message: `host ${typeof reason.raw.hostname === 'string' ? reason.raw.hostname : (where ?? '')} cannot be resolved`,
        hint: 'check the spelling of the host name in the URL, or use an IP address',
      };
    case 'ECONNRESET':
    case 'EPIPE':
      return {
        code: 'NETWORK_CONNECTION_RESET',
        message: `the connection to${at} was closed unexpectedly`,
        hint: 'check the worker is healthy and that no proxy cuts the connection; check http vs https',
      };
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
      return {
        code: 'NETWORK_TIMEOUT',
        message: `no answer from${at || ' the worker'} in time`,
        hint: 'check that the host is reachable from here (firewall, VPN) and that ComfyUI is not hung',
      };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return {
        code: 'NETWORK_UNREACHABLE',
        message: `${where ?? 'the worker'} is unreachable from this machine`,
        hint: 'check the network route, VPN or firewall to that host',
      };
    case 'BAD_PORT':
      return {
        code: 'NETWORK_BAD_PORT',
        message: `${where ? `'${where}': ` : ''}the port is one that Node's fetch refuses to connect to (blocked by the Fetch standard)`,
        hint: "run ComfyUI on another port (its default is 8188) and use that, e.g. http://127.0.0.1:8188",
      };
    case 'ERR_INVALID_URL':
    case 'UNKNOWN_SCHEME':
      return {
        code: 'NETWORK_BAD_URL',
        message: `${where ? `'${where}'` : 'the URL'} is not a usable http(s) URL (${String(reason.raw.message ?? reason.code)})`,
        hint: 'give the address as http://host:port, e.g. http://127.0.0.1:8188',
      };
    case 'CERT':
      return {
        code: 'NETWORK_TLS',
        message: `TLS failed for${at}: ${String(reason.raw.message)}`,
        hint: 'check the certificate, or use http:// if the worker does not serve https',
      };
    default:
      return undefined;
  }
}

function findReason(error: unknown, depth: number): { code: string; raw: ErrnoLike } | undefined {
  if (depth > 5 || typeof error !== 'object' || error === null) return undefined;
  const raw = error as ErrnoLike;
  const code = typeof raw.code === 'string' ? raw.code : undefined;
  if (code && KNOWN.has(code)) return { code, raw };
  if (code && /^(CERT_|ERR_TLS|UNABLE_TO_VERIFY|DEPTH_ZERO|SELF_SIGNED)/.test(code)) return { code: 'CERT', raw };
  const message = typeof raw.message === 'string' ? raw.message : '';
  if (message === 'unknown scheme') return { code: 'UNKNOWN_SCHEME', raw };
  if (message === 'bad port') return { code: 'BAD_PORT', raw };
  if (Array.isArray(raw.errors)) {
    for (const inner of raw.errors) {
      const found = findReason(inner, depth + 1);
      if (found) return found;
    }
  }
  return findReason(raw.cause, depth + 1);
}

const KNOWN = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_INVALID_URL',
]);

function addressOf(raw: ErrnoLike): string | undefined {
  if (typeof raw.address === 'string') return typeof raw.port === 'number' ? `${raw.address}:${raw.port}` : raw.address;
  return undefined;
}
