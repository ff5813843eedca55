import { InvalidArgumentError, type Command } from 'commander';
import type { CommandSetup } from '../command-setup.js';
import type { CliContext } from '../context.js';

function scopes(value: string): string[] {
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((s) => !['read', 'generate', 'admin'].includes(s));
  if (list.length === 0 || bad.length) throw new InvalidArgumentError(`expected a comma list of read, generate, admin; got '${value}'`);
  return list;
}

function days(value: string): number {
  const m = /^(\d{1,4})d$/.exec(value);
  if (!m || Number(m[1]) < 1) throw new InvalidArgumentError(`expected a number of days such as 30d; got '${value}'`);
  return Number(m[1]);
}

async function withKeys<T>(ctx: CliContext, use: (keys: import('../../server/auth/key-store.js').KeyStore) => T): Promise<T> {
  const { config } = ctx.loadConfig();
  const { resolve, join } = await import('node:path');
  const { mkdirSync } = await import('node:fs');
  const { KeyStore } = await import('../../server/auth/key-store.js');
  const dir = resolve(ctx.io.cwd, config.paths.dataDir);
  mkdirSync(dir, { recursive: true });
  const keys = new KeyStore(join(dir, 'server.db'));
  try {
    return use(keys);
  } finally {
    keys.close();
  }
}

export function registerKeys(program: Command, setup: CommandSetup): void {
  const keys = program.command('keys').description('API keys for storycore serve: create, list, revoke');
  keys
    .command('create')
    .description('create an API key; it is printed once and stored only as a hash')
    .requiredOption('--name <name>', 'what the key is for, e.g. ci')
    .requiredOption('--scope <scopes>', 'read, generate and/or admin, comma-separated', scopes)
    .option('--expires <days>', 'expire after this many days, e.g. 30d', days)
    .option('--json', 'print JSON')
    .action(async (options: { name: string; scope: string[]; expires?: number }, command: Command) => {
      const ctx = setup.context(command);
      const created = await withKeys(ctx, (k) => k.create({ name: options.name, scopes: options.scope as never, ...(options.expires ? { expiresAt: new Date(Date.now() + options.expires * 86_400_000) } : {}) }));
      if (ctx.json) return ctx.printJson(created);
      ctx.out(created.key);
      ctx.info(`key ${created.info.id} '${created.info.name}' with ${created.info.scopes.join(', ')}${created.info.expiresAt ? `, expires ${created.info.expiresAt}` : ''}: store it now, it is not shown again`);
    });
  keys
    .command('list')
    .description('list API keys (ids, names, scopes; never the keys)')
    .option('--json', 'print JSON')
    .action(async (_options: unknown, command: Command) => {
      const ctx = setup.context(command);
      const list = await withKeys(ctx, (k) => k.list());
      if (ctx.json) return ctx.printJson(list);
      for (const k of list) ctx.out(`${k.id}  ${k.name.padEnd(20)} ${k.scopes.join(',').padEnd(20)} ${k.revokedAt ? 'revoked' : k.expiresAt ? `expires ${k.expiresAt}` : 'active'}`);
      if (list.length === 0) ctx.info('no keys: create one with storycore keys create --name NAME --scope read');
    });
  keys
    .command('revoke')
    .description('revoke an API key by id')
    .argument('<id>', 'the key id from keys list')
    .option('--json', 'print JSON')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = setup.context(command);
      const revoked = await withKeys(ctx, (k) => k.revoke(id));
      if (ctx.json) return ctx.printJson({ id, revoked });
      if (!revoked) {
        const { UsageError } = await import('../errors/usage-error.js');
        throw new UsageError(`no active key '${id}'`, 'list keys with storycore keys list');
      }
      ctx.out(`revoked ${id}`);
    });
}
