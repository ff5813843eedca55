import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { InvalidUserTemplateError } from './errors/invalid-user-template-error.js';
import { UserTemplateNotFoundError } from './errors/user-template-not-found-error.js';
import { TEMPLATE_NAME, userTemplateSchema, type UserTemplate } from './types.js';
import { ensureDir } from '../../platform/ensure-dir.js';

/** `<projectDir>/.storycore/templates`: user templates live with the project that uses them. */
export function userTemplatesDir(projectDir: string): string {
  return join(projectDir, '.storycore', 'templates');
}

function pathOf(projectDir: string, name: string): string {
  if (!TEMPLATE_NAME.test(name)) {
    throw new InvalidUserTemplateError(`template name '${name}' is not usable as a file name`, 'use letters, digits, ".", "_" and "-"');
  }
  return join(userTemplatesDir(projectDir), `${name}.json`);
}

/** Writes `<name>.json` atomically (temp file + rename), so a crash never leaves half a file. */
export async function saveUserTemplate(projectDir: string, template: UserTemplate): Promise<string> {
  const path = pathOf(projectDir, template.name);
  await ensureDir(userTemplatesDir(projectDir));
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify(template, null, 2)}\n`, 'utf8');
  await rename(temp, path);
  return path;
}

export async function loadUserTemplate(projectDir: string, name: string): Promise<UserTemplate> {
  const path = pathOf(projectDir, name);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') throw new UserTemplateNotFoundError(name, path);
    throw cause;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new InvalidUserTemplateError(`${path} is not JSON`, 'import the template again', cause);
  }
  const parsed = userTemplateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidUserTemplateError(`${path} is not a user template: ${issue?.path.join('.')}: ${issue?.message}`, 'import the template again', parsed.error);
  }
  return parsed.data as UserTemplate;
}

/** Names of the stored templates, sorted. */
export async function listUserTemplates(projectDir: string): Promise<string[]> {
  try {
    const files = await readdir(userTemplatesDir(projectDir));
    return files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw cause;
  }
}
