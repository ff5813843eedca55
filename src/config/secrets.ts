import { isPlainObject } from './layers.js';
import type { KeyPath } from './sources.js';

export const REDACTED = '***';

const SECRET_KEYS = new Set(['token', 'password', 'apikey', 'secret']);
const SECRET_HEADER = /auth|token|key|secret|cookie|password|session/i;

/**
 * Whether a config key holds a secret: auth tokens and passwords, any `apiKey`, the alerts
 * signing `secret`, and header values whose name looks like a credential (Authorization,
 * X-Api-Key, Cookie…).
 */
export function isSecretPath(path: KeyPath): boolean {
  const last = String(path[path.length - 1] ?? '');
  if (SECRET_KEYS.has(last.toLowerCase())) return true;
  const parent = String(path[path.length - 2] ?? '');
  return parent === 'headers' && SECRET_HEADER.test(last);
}

/** A URL with its password (`redis://:pw@host`, `http://u:pw@host`) replaced by `***`. */
export function redactUrl(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):([^@/\s]+)@/gi, `$1:${REDACTED}@`);
}

/** The value as it may be shown: secrets become `***` (also deep inside objects and lists). */
export function redactValue(path: KeyPath, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (isSecretPath(path)) return REDACTED;
  if (typeof value === 'string') return redactUrl(value);
  if (Array.isArray(value)) return value.map((item, index) => redactValue([...path, index], item));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue([...path, k], v)]));
  }
  return value;
}
