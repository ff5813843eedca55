/** Where a ComfyUI worker listens and how to authenticate to it (HTTP and WebSocket alike). */
export interface WorkerEndpoint {
  url: string;
  name?: string;
  auth?: { type: 'bearer'; token: string } | { type: 'basic'; username: string; password: string };
  headers?: Record<string, string>;
}

/** Accepts `http://host:8188`, `host:8188/` or an endpoint object; strips trailing slashes. */
export function normalizeEndpoint(endpoint: WorkerEndpoint | string): WorkerEndpoint {
  const e = typeof endpoint === 'string' ? { url: endpoint } : { ...endpoint };
  let url = e.url.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `http://${url}`;
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`worker URL must be http(s): ${e.url}`);
  }
  // A reverse proxy may mount ComfyUI under a path prefix; keep it, drop query and slashes.
  e.url = `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
  return e;
}

/** Headers sent on every request and on the WebSocket upgrade. */
export function authHeaders(endpoint: WorkerEndpoint): Record<string, string> {
  const headers: Record<string, string> = { ...endpoint.headers };
  const auth = endpoint.auth;
  if (auth?.type === 'bearer') headers.Authorization = `Bearer ${auth.token}`;
  if (auth?.type === 'basic') headers.Authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  return headers;
}

/** `<base>/api<path>?query`; undefined query values are left out. */
export function apiUrl(endpoint: WorkerEndpoint, path: string, query?: Record<string, string | number | boolean | undefined>): string {
  const url = new URL(`${endpoint.url}/api${path}`);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}

/** The event socket URL: http→ws, https→wss, `/api/ws?clientId=…`. */
export function socketUrl(endpoint: WorkerEndpoint, clientId: string): string {
  const url = new URL(`${endpoint.url}/api/ws`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('clientId', clientId);
  return url.toString();
}

/** The URL without credentials a user may have put in it, for messages and logs. */
export function displayUrl(endpoint: WorkerEndpoint): string {
  const url = new URL(endpoint.url);
  url.username = '';
  url.password = '';
  return url.toString().replace(/\/$/, '');
}
