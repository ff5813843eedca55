import { requestJson } from './json-body.js';
import type { z } from 'zod';
import { HttpStatusError } from '../errors/http-status-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import { WorkerUnavailableError, isWorkerUnavailableError } from '../errors/worker-unavailable-error.js';
import { firstIssue } from '../protocol/zod-issue.js';
import { fullJitterDelay, sleep } from './backoff.js';
import { apiUrl, authHeaders, displayUrl, type WorkerEndpoint } from './endpoint.js';
import type { ComfyLogger } from './logger.js';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON body (sent with Content-Type: application/json). */
  json?: unknown;
  /** Any other body (FormData for uploads). */
  body?: FormData;
  timeoutMs?: number;
  /** The config key that sets `timeoutMs`, named in the timeout error's hint. */
  timeoutKey?: string;
  /** Retries on network errors/5xx; only for idempotent requests. */
  retries?: number;
  /** Statuses whose body is handed back instead of throwing (e.g. 400 of POST /prompt). */
  passStatuses?: number[];
}

/** A request that has waited `afterMs` without an answer, for "waiting for …" notices. */
export interface SlowRequest {
  url: string;
  method: string;
  path: string;
  timeoutMs: number;
  timeoutKey: string;
}

export interface TransportDefaults {
  timeoutMs: number;
  timeoutKey?: string;
  logger: ComfyLogger;
  /** Called once per request still unanswered after `slowAfterMs` (default 2 s). */
  onSlowRequest?: (request: SlowRequest) => void;
  slowAfterMs?: number;
}

export interface RawResponse {
  status: number;
  text: string;
  url: string;
}

/**
 * Every HTTP call to one worker: `/api` URLs, auth headers, a timeout per call
 * (AbortSignal.timeout), bounded retries, error mapping (network/timeout/5xx →
 * WorkerUnavailableError, other statuses → HttpStatusError) and zod validation of bodies.
 */
export class HttpTransport {
  private readonly headers: Record<string, string>;

  constructor(
    readonly endpoint: WorkerEndpoint,
    private readonly defaults: TransportDefaults,
  ) {
    this.headers = authHeaders(endpoint);
  }

  url(path: string, query?: RequestOptions['query']): string {
    return apiUrl(this.endpoint, path, query);
  }

  get authHeaders(): Record<string, string> {
    return { ...this.headers };
  }

  /** Sends a request and validates the JSON answer with `schema`. */
  async json<S extends z.ZodType>(method: string, path: string, schema: S, options: RequestOptions = {}): Promise<z.infer<S>> {
    const res = await this.send(method, path, options);
    return this.parse(res, `${method} ${path}`, schema);
  }

  /** Sends a request whose success body is empty (or ignored). */
  async empty(method: string, path: string, options: RequestOptions = {}): Promise<void> {
    await this.send(method, path, options);
  }

  parse<S extends z.ZodType>(res: RawResponse, where: string, schema: S): z.infer<S> {
    let value: unknown;
    try {
      value = res.text === '' ? undefined : JSON.parse(res.text);
    } catch (cause) {
      throw new ProtocolError(`reply to ${where}`, `body is not JSON: ${res.text.slice(0, 80)}`, { cause, url: displayUrl(this.endpoint) });
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const { field, problem } = firstIssue(parsed.error, 'body');
      throw new ProtocolError(`reply to ${where}`, problem, { field, url: displayUrl(this.endpoint) });
    }
    return parsed.data;
  }

  async send(method: string, path: string, options: RequestOptions = {}): Promise<RawResponse> {
    const retries = options.retries ?? 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(method, path, options);
      } catch (error) {
        // A timeout already waited the whole budget: retrying it would multiply a silent worker's wait.
        if (attempt >= retries || !isWorkerUnavailableError(error) || error.reason === 'timeout') throw error;
        const delay = fullJitterDelay(attempt, { initialDelayMs: 200, maxDelayMs: 2_000 });
        this.defaults.logger.debug({ err: error, attempt, delay, path }, 'retrying ComfyUI request');
        await sleep(delay);
      }
    }
  }

  private async once(method: string, path: string, options: RequestOptions): Promise<RawResponse> {
    const url = this.url(path, options.query);
    const shown = displayUrl(this.endpoint);
    const timeoutMs = options.timeoutMs ?? this.defaults.timeoutMs;
    const timeoutKey = options.timeoutKey ?? this.defaults.timeoutKey ?? 'client.requestTimeoutMs';
    const headers: Record<string, string> = { ...this.headers };
    let body: string | FormData | undefined;
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = requestJson(options.json);
    } else if (options.body) {
      body = options.body;
    }
    let response: Response;
    let text: string;
    const notify = this.defaults.onSlowRequest;
    const slowAfterMs = this.defaults.slowAfterMs ?? 2_000;
    // A wait shorter than the notice delay ends (answer or error) before a notice would help.
    const slow = notify && timeoutMs > slowAfterMs ? setTimeout(() => notify({ url: shown, method, path, timeoutMs, timeoutKey }), slowAfterMs) : undefined;
    slow?.unref();
    try {
      response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
      text = await response.text();
    } catch (cause) {
      if (isAbortTimeout(cause)) {
        throw new WorkerUnavailableError(shown, 'timeout', `${method} ${path} got no answer within ${timeoutMs} ms`, { cause, timeoutKey });
      }
      throw new WorkerUnavailableError(shown, 'network', `${method} ${path} failed: ${describeNetworkError(cause)}`, { cause });
    } finally {
      clearTimeout(slow);
    }
    if (response.ok || options.passStatuses?.includes(response.status)) return { status: response.status, text, url };
    if (response.status >= 500) {
      throw new WorkerUnavailableError(shown, 'server_error', `${method} ${path} answered ${response.status}: ${text.trim().split('\n')[0] ?? ''}`, {
        status: response.status,
        cause: new HttpStatusError(method, url, response.status, text),
      });
    }
    throw new HttpStatusError(method, url, response.status, text);
  }
}

function isAbortTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** undici hides the useful part (ECONNREFUSED…) in `cause`. */
export function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e && depth < 4; depth++) {
    if (e instanceof Error) {
      const code = (e as { code?: unknown }).code;
      // fetch refuses ports the Fetch standard blocks with a bare "bad port": say what it means.
      const text = e.message === 'bad port' ? "the port is one Node's fetch refuses to connect to (blocked by the Fetch standard; use another port, e.g. ComfyUI's 8188)" : e.message;
      parts.push(typeof code === 'string' ? `${code} ${text}` : text);
      e = e.cause;
    } else {
      parts.push(String(e));
      break;
    }
  }
  return [...new Set(parts)].join(': ') || 'unknown network error';
}
