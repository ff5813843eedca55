import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Scope } from './scopes.js';

export interface ApiKeyInfo {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

interface KeyRow {
  id: string;
  name: string;
  scopes: string;
  salt: Buffer;
  hash: Buffer;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

const PREFIX = 'sck_';
const SCRYPT = { N: 16_384, r: 8, p: 1 } as const;

/**
 * API keys, stored only as scrypt hashes. A key reads `sck_<id>_<secret>`: the id finds the row
 * without scanning, the secret is compared timing-safe against its hash. The clear key is
 * returned once by `create` and never stored or logged.
 */
export class KeyStore {
  private readonly db: Database.Database;
  /** Keys verified recently (by their sha256, never in clear): scrypt runs once a minute per key, not per request. */
  private readonly verified = new Map<string, { info: ApiKeyInfo; until: number }>();

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS api_keys (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, scopes TEXT NOT NULL, salt BLOB NOT NULL, hash BLOB NOT NULL,
      created_at TEXT NOT NULL, expires_at TEXT, revoked_at TEXT)`);
  }

  create(input: { name: string; scopes: Scope[]; expiresAt?: Date }): { key: string; info: ApiKeyInfo } {
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(24).toString('base64url');
    const salt = randomBytes(16);
    const hash = scryptSync(secret, salt, 32, SCRYPT);
    const createdAt = new Date().toISOString();
    const expiresAt = input.expiresAt?.toISOString() ?? null;
    this.db.prepare('INSERT INTO api_keys (id, name, scopes, salt, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, input.name, input.scopes.join(','), salt, hash, createdAt, expiresAt);
    return { key: `${PREFIX}${id}_${secret}`, info: { id, name: input.name, scopes: input.scopes, createdAt, expiresAt, revokedAt: null } };
  }

  list(): ApiKeyInfo[] {
    return (this.db.prepare('SELECT * FROM api_keys ORDER BY created_at').all() as KeyRow[]).map(toInfo);
  }

  /** Any key that is neither revoked nor expired. */
  hasActiveKey(now = new Date()): boolean {
    return this.list().some((k) => !k.revokedAt && (!k.expiresAt || new Date(k.expiresAt) > now));
  }

  revoke(id: string): boolean {
    this.verified.clear();
    return this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(new Date().toISOString(), id).changes > 0;
  }

  /** The key's record when the presented key is valid now; undefined otherwise. */
  verify(presented: string, now = new Date()): ApiKeyInfo | undefined {
    const digest = createHash('sha256').update(presented).digest('hex');
    const cached = this.verified.get(digest);
    if (cached && cached.until > now.getTime()) {
      // The row is read every time, so a key revoked by another process stops working at once.
      const row = this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(cached.info.id) as KeyRow | undefined;
      if (row && !row.revoked_at && (!row.expires_at || new Date(row.expires_at) > now)) return toInfo(row);
      this.verified.delete(digest);
      return undefined;
    }
    const info = this.verifySlow(presented, now);
    if (info) {
      if (this.verified.size > 1000) this.verified.clear();
      this.verified.set(digest, { info, until: now.getTime() + 60_000 });
    }
    return info;
  }

  private verifySlow(presented: string, now: Date): ApiKeyInfo | undefined {
    const match = /^sck_([0-9a-f]{12})_([A-Za-z0-9_-]{32})$/.exec(presented);
    if (!match) return undefined;
    const row = this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(match[1]) as KeyRow | undefined;
    // Hash even when the row is missing, so a wrong id costs the same time as a wrong secret.
    const salt = row?.salt ?? Buffer.alloc(16);
    const hash = scryptSync(match[2]!, salt, 32, SCRYPT);
    if (!row || !timingSafeEqual(hash, row.hash)) return undefined;
    if (row.revoked_at || (row.expires_at && new Date(row.expires_at) <= now)) return undefined;
    return toInfo(row);
  }

  close(): void {
    this.db.close();
  }
}

function toInfo(row: KeyRow): ApiKeyInfo {
  return {
    id: row.id, name: row.name, scopes: row.scopes.split(',') as Scope[],
    createdAt: row.created_at, expiresAt: row.expires_at, revokedAt: row.revoked_at,
  };
}
