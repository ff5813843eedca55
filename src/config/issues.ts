import type * as z from 'zod';
import { closestMatch, orList } from '../platform/did-you-mean.js';
import { keysAt } from '../platform/zod/schema-walk.js';
import type { ConfigProblem } from './errors/config-error.js';
import { configSchema } from './schema.js';
import { REDACTED, redactValue } from './secrets.js';
import { describeFixLocation, describeSource, pathKey, type KeyPath, type ValueSource } from './sources.js';

/** Source of a value with its line in the file filled in when known. */
export type LocateSource = (path: KeyPath) => ValueSource;

/** Turns zod's issues into problems that name the key, the bad value, where it came from and the fix. */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], locate: LocateSource): ConfigProblem[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => unknownKeyProblem([...issue.path, key] as KeyPath, locate));
    }
    return [problemFromIssue(issue, locate)];
  });
}

function unknownKeyProblem(path: KeyPath, locate: LocateSource): ConfigProblem {
  const source = locate(path);
  const key = String(path[path.length - 1]);
  const allowed = keysAt(configSchema, path.slice(0, -1), { throughUnions: false });
  const guess = closestMatch(key, allowed, { ignorePunctuation: false });
  // An empty or dotted key would vanish in a dotted path: show it quoted.
  const name = path.map((segment) => (segment === '' || /[.\s]/.test(String(segment)) ? JSON.stringify(String(segment)) : String(segment))).join('.');
  const hint = guess
    ? `did you mean ${pathKey([...path.slice(0, -1), guess])}? Rename it ${describeFixLocation(source)}`
    : `remove ${name} ${describeFixLocation(source)}${allowed.length ? ` (allowed here: ${allowed.join(', ')})` : ''}`;
  // An unknown key never comes from the defaults: 'default' only means its line was not found.
  return { path: name, ...(source.kind === 'default' ? {} : { where: describeSource(source) }), message: `unknown key ${name}`, hint };
}

function problemFromIssue(issue: z.core.$ZodIssue, locate: LocateSource): ConfigProblem {
  const path = issue.path as KeyPath;
  const name = pathKey(path) || '(top level)';
  const source = locate(path);
  const where = describeSource(source);
  const fixIn = describeFixLocation(source);
  const shown = show(path, issue.input);

  switch (issue.code) {
    case 'invalid_value': {
      const values = issue.values.map(String);
      return {
        path: name,
        where,
        message: `${name}: ${shown} is not one of ${values.join(', ')}`,
        hint: `set ${name} to ${orList(values)} ${fixIn}`,
      };
    }
    case 'invalid_union': {
      const discriminator = (issue as { discriminator?: string }).discriminator;
      if (discriminator) {
        const field = [...path, discriminator];
        const options = discriminatorOptions(path, discriminator);
        return {
          path: pathKey(field),
          where,
          message: `${pathKey(field)}: ${show(field, (issue.input as Record<string, unknown> | undefined)?.[discriminator])} is not one of ${options.join(', ')}`,
          hint: `set ${pathKey(field)} to ${orList(options)} ${fixIn}`,
        };
      }
      return { path: name, where, message: `${name}: ${shown} has none of the accepted shapes`, hint: `check ${name} ${fixIn} against docs/configuration.md` };
    }
    case 'invalid_type': {
      if (issue.input === undefined) {
        return { path: name, where, message: `${name} is required`, hint: `add ${name} (${issue.expected}) ${fixIn}` };
      }
      return {
        path: name,
        where,
        message: `${name}: expected ${article(issue.expected)}, got ${describeType(issue.input)} ${shown}`,
        hint: `set ${name} to ${article(issue.expected)} ${fixIn}`,
      };
    }
    case 'invalid_format': {
      const example = issue.format === 'url' ? urlExample(path) : `a valid ${issue.format}`;
      return {
        path: name,
        where,
        message: `${name}: ${shown} is not ${issue.format === 'url' ? article(urlKind(path)) : `a valid ${issue.format}`}`,
        hint: `set ${name} to ${example} ${fixIn}`,
      };
    }
    case 'too_small':
    case 'too_big': {
      if (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) === 1) {
        return { path: name, where, message: `${name} must not be empty`, hint: `set ${name} to a non-empty value, or remove it, ${fixIn}` };
      }
      const small = issue.code === 'too_small';
      const bound = small ? issue.minimum : issue.maximum;
      // `.positive()` is an exclusive bound: "minimum 0" would call 0 too small for 0.
      const limit = issue.inclusive === false ? `${small ? 'more' : 'less'} than ${bound}` : `${small ? 'at least' : 'at most'} ${bound}`;
      const what = issue.origin === 'string' ? `a length of ${limit}` : limit;
      return {
        path: name,
        where,
        message: `${name}: ${shown} is too ${small ? 'small' : 'large'} (it must be ${what})`,
        hint: `set ${name} to ${what} ${fixIn}`,
      };
    }
    case 'custom': {
      // A rule across keys names the key that triggered it (`blame`) and its own fix.
      const params = (issue.params ?? {}) as { blame?: KeyPath; hint?: string };
      const blamed = params.blame ? describeSource(locate(params.blame)) : where;
      return { path: name, where: blamed, message: params.hint ? issue.message : `${name}: ${issue.message}`, hint: params.hint ?? `fix ${name} ${fixIn}` };
    }
    default:
      return { path: name, where, message: `${name}: ${issue.message}`, hint: `fix ${name} ${fixIn}` };
  }
}

function show(path: KeyPath, value: unknown): string {
  const safe = redactValue(path, value);
  if (safe === REDACTED) return REDACTED;
  if (typeof safe === 'string') return `'${safe}'`;
  const text = JSON.stringify(safe) ?? String(safe);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function article(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object') return 'a mapping';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function urlKind(path: KeyPath): string {
  return path.includes('redisUrl') ? 'redis:// URL' : 'http(s) URL';
}

function urlExample(path: KeyPath): string {
  if (path.includes('redisUrl')) return 'a URL such as redis://127.0.0.1:6379';
  if (path[0] === 'workers') return 'a URL such as http://127.0.0.1:8188';
  return 'a URL such as https://host.example/path';
}

function discriminatorOptions(path: KeyPath, discriminator: string): string[] {
  // Only worker auth is a discriminated union today.
  return path.includes('auth') && discriminator === 'type' ? ['bearer', 'basic'] : [];
}
