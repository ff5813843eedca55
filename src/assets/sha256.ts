import { createHash } from 'node:crypto';

const SHA256 = /^[0-9a-f]{64}$/;

/** True for a lowercase hex sha256 digest, the only spelling the store uses. */
export function isSha256(value: unknown): value is string {
  return typeof value === 'string' && SHA256.test(value);
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
