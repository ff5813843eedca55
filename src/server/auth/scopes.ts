/**
 * API key scopes. `read` sees everything but secrets; `generate` plans, edits, generates and
 * renders; `admin` manages workers, keys and projects. Every route declares the one it needs.
 */
export const SCOPES = ['read', 'generate', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** What each scope also grants: a generate key can read, an admin key can do everything. */
const IMPLIES: Record<Scope, readonly Scope[]> = {
  read: ['read'],
  generate: ['read', 'generate'],
  admin: ['read', 'generate', 'admin'],
};

export function grants(held: readonly Scope[], needed: Scope): boolean {
  return held.some((scope) => IMPLIES[scope].includes(needed));
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
