import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error.js';
import type { ServerContext } from '../server-context.js';
import type { ApiKeyInfo } from './key-store.js';
import { grants, type Scope } from './scopes.js';

/** Every route declares `config: { scope }`; `public` routes need no key (health, docs). */
export type RouteScope = Scope | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    scope?: RouteScope;
    /** The request field that carries a story, named by errors about the whole document. */
    storyField?: string;
  }
  interface FastifyRequest {
    apiKey?: ApiKeyInfo;
  }
}

/** Failed authentications per address in a sliding minute: a brute force gets 429. */
export class AuthFailures {
  private readonly byAddress = new Map<string, number[]>();

  constructor(private readonly limit: number, private readonly windowMs = 60_000) {}

  blockedFor(address: string, now = Date.now()): number {
    const hits = (this.byAddress.get(address) ?? []).filter((t) => now - t < this.windowMs);
    this.byAddress.set(address, hits);
    return hits.length >= this.limit ? Math.ceil((hits[0]! + this.windowMs - now) / 1000) : 0;
  }

  record(address: string, now = Date.now()): void {
    const hits = this.byAddress.get(address) ?? [];
    hits.push(now);
    this.byAddress.set(address, hits);
    if (this.byAddress.size > 10_000) this.byAddress.delete(this.byAddress.keys().next().value!);
  }
}

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const x = request.headers['x-api-key'];
  return typeof x === 'string' ? x.trim() : undefined;
}

/**
 * The onRequest hook: finds the route's scope, checks the key, refuses with 401 (no or bad key)
 * or 403 (a scope the key lacks). A route without a declared scope is refused outright, so a
 * new route cannot be public by accident.
 */
export function authenticate(ctx: ServerContext, failures: AuthFailures) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const scope = request.routeOptions.config.scope;
    if (request.routeOptions.url === undefined) return; // 404s: nothing to protect
    if (scope === 'public') return;
    if (scope === undefined) throw new ApiError(500, 'ROUTE_WITHOUT_SCOPE', `route ${request.routeOptions.url} declares no scope`, { hint: 'declare config.scope on the route' });
    if (ctx.noAuth) return;
    const wait = failures.blockedFor(request.ip);
    if (wait > 0) {
      void reply.header('retry-after', String(wait));
      throw new ApiError(429, 'TOO_MANY_FAILED_AUTH', 'too many failed authentications from this address', { hint: `wait ${wait} s, then send a valid key` });
    }
    const key = presentedKey(request);
    if (!key) throw new ApiError(401, 'UNAUTHORIZED', 'this route needs an API key', { hint: 'send Authorization: Bearer <key>; create one with storycore keys create --name NAME --scope read' });
    const info = ctx.keys.verify(key);
    if (!info) {
      failures.record(request.ip);
      throw new ApiError(401, 'UNAUTHORIZED', 'the API key is not valid (unknown, revoked or expired)', { hint: 'create a new key with storycore keys create' });
    }
    request.apiKey = info;
    if (!grants(info.scopes, scope)) {
      throw new ApiError(403, 'FORBIDDEN', `this route needs the '${scope}' scope; the key has ${info.scopes.join(', ')}`, { hint: `use a key with the ${scope} scope` });
    }
  };
}
