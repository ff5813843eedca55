import type { BackoffPolicy } from './backoff.js';
import type { SlowRequest } from './http-transport.js';
import type { ComfyLogger } from './logger.js';

export interface ComfyClientOptions {
  /** The WebSocket `clientId` (and `client_id` of submitted prompts). Default: a random UUID. */
  clientId?: string;
  /** Timeout of each ordinary HTTP call. Default 30 s. */
  requestTimeoutMs?: number;
  /** Timeout of `GET /object_info` (multi-MB on big installs). Default 120 s. */
  objectInfoTimeoutMs?: number;
  /** Timeout of an upload. Default 300 s. */
  uploadTimeoutMs?: number;
  /** Retries of idempotent GETs on network errors/5xx. Default 2. */
  getRetries?: number;
  /** Use the WebSocket live layer. Without it, jobs complete by polling history. Default true. */
  socket?: boolean;
  /** How long to wait for the socket before submitting anyway (history polling covers). Default 5 s. */
  socketOpenTimeoutMs?: number;
  /** Reconnect backoff of the socket (full jitter). Default 250 ms … 10 s. */
  reconnect?: BackoffPolicy;
  /**
   * A job whose prompt has heard nothing from an open socket for this long polls history
   * (and recycles the socket when the prompt is running: a zombie socket). Default 30 s.
   */
  silenceTimeoutMs?: number;
  /** History/queue poll interval while the socket is down or reconnecting. Default 1 s. */
  pollIntervalMs?: number;
  /** How long a job tolerates an unreachable worker before result() rejects. Default 120 s. */
  unreachableTimeoutMs?: number;
  /** Download retries on network errors/5xx (resumed with Range when possible). Default 4. */
  downloadRetries?: number;
  /** A download fails over to a retry when no byte arrives for this long. Default 60 s. */
  downloadIdleTimeoutMs?: number;
  /** fsync a download before the atomic rename. Default true. */
  durableDownloads?: boolean;
  /** Ask for binary previews with metadata (type 4) in the feature_flags handshake. Default true. */
  previewMetadata?: boolean;
  logger?: ComfyLogger;
  /**
   * Config keys that set `requestTimeoutMs`, `objectInfoTimeoutMs` and `uploadTimeoutMs`, named
   * in timeout hints. Default `client.requestTimeoutMs` etc. (docs/configuration.md).
   */
  timeoutKeys?: { request?: string; objectInfo?: string; upload?: string };
  /** Told about each HTTP call still unanswered after 2 s, so a command can say what it waits for. */
  onSlowRequest?: (request: SlowRequest) => void;
}

export type ResolvedClientOptions = Required<Omit<ComfyClientOptions, 'clientId' | 'logger' | 'onSlowRequest'>> & {
  clientId: string;
  logger: ComfyLogger;
  onSlowRequest?: (request: SlowRequest) => void;
};

export function resolveOptions(options: ComfyClientOptions, clientId: string, logger: ComfyLogger): ResolvedClientOptions {
  return {
    requestTimeoutMs: 30_000,
    objectInfoTimeoutMs: 120_000,
    uploadTimeoutMs: 300_000,
    getRetries: 2,
    socket: true,
    socketOpenTimeoutMs: 5_000,
    reconnect: { initialDelayMs: 250, maxDelayMs: 10_000 },
    silenceTimeoutMs: 30_000,
    pollIntervalMs: 1_000,
    unreachableTimeoutMs: 120_000,
    downloadRetries: 4,
    downloadIdleTimeoutMs: 60_000,
    durableDownloads: true,
    previewMetadata: true,
    timeoutKeys: {},
    ...stripUndefined(options),
    clientId,
    logger,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
