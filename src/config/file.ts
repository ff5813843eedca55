import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, relative, isAbsolute } from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, isPair, isScalar, type Node as YamlNode } from 'yaml';
import { ConfigError } from './errors/config-error.js';
import { isPlainObject } from './layers.js';
import { jsonErrorLocation, jsonErrorReason } from './json-position.js';
import { pathKey, type KeyPath } from './sources.js';
import { InputLimitError } from '../platform/errors/input-limit-error.js';
import { checkBracketDepth, checkFileSize, DEFAULT_INPUT_LIMITS, raiseHint } from '../platform/input-limits.js';
import { isStackOverflowMessage, yamlToJs } from '../platform/yaml-limits.js';

export const CONFIG_FILE_NAMES = ['storycore.config.yaml', 'storycore.config.yml', 'storycore.config.json'] as const;

export interface ConfigFile {
  /** As shown to the user: relative to the working directory when inside it. */
  displayPath: string;
  absolutePath: string;
  data: Record<string, unknown>;
  /** 1-based line of a key path in the file, when known. */
  lineOf(path: KeyPath): number | undefined;
}

/** The first of storycore.config.yaml / .yml / .json in `dir`, if any. */
export function findConfigFile(dir: string): string | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function readConfigFile(path: string, cwd: string): ConfigFile {
  const absolutePath = isAbsolute(path) ? path : join(cwd, path);
  const rel = relative(cwd, absolutePath);
  const displayPath = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolutePath;
  if (!existsSync(absolutePath)) {
    throw new ConfigError('CONFIG_NOT_FOUND', [
      {
        path: '',
        message: `config file ${displayPath} does not exist`,
        hint: `check the path given to --config, or create it (e.g. ${CONFIG_FILE_NAMES[0]})`,
      },
    ]);
  }
  let text: string;
  try {
    // The config sets the limits, so its own size and depth are checked against the defaults.
    checkFileSize(statSync(absolutePath).size, displayPath);
    text = readFileSync(absolutePath, 'utf8');
  } catch (cause) {
    if (cause instanceof InputLimitError) throw cause;
    throw new ConfigError(
      'CONFIG_UNREADABLE',
      [{ path: '', message: `cannot read config file ${displayPath}: ${(cause as Error).message}`, hint: 'check its permissions' }],
      { cause },
    );
  }
  checkBracketDepth(text, displayPath);
  if (extname(absolutePath) === '.json') checkJsonSyntax(text, displayPath);

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.some((error) => isStackOverflowMessage(error.message))) {
    const { depth } = DEFAULT_INPUT_LIMITS;
    throw new InputLimitError('INPUT_TOO_DEEP', displayPath, `lists and mappings are nested more than ${depth} levels deep`, raiseHint('depth', depth));
  }
  const syntax = doc.errors[0];
  if (syntax) {
    const line = syntax.pos ? lineCounter.linePos(syntax.pos[0]).line : undefined;
    throw new ConfigError('CONFIG_SYNTAX', [
      {
        path: '',
        where: line ? `${displayPath}:${line}` : displayPath,
        message: `YAML syntax error: ${syntax.message.split('\n')[0]}`,
        hint: `fix line ${line ?? '?'} of ${basename(displayPath)} (indent with spaces, quote values containing ': ')`,
      },
    ]);
  }
  const data: unknown = yamlToJs(doc, displayPath) ?? {};
  if (!isPlainObject(data)) {
    throw new ConfigError('CONFIG_INVALID', [
      {
        path: '',
        where: displayPath,
        message: 'the config file must be a mapping of sections (workers:, queue:, server:…)',
        hint: 'see docs/configuration.md for the layout',
      },
    ]);
  }
  const lines = indexLines(doc.contents, lineCounter);
  return { displayPath, absolutePath, data, lineOf: (keyPath) => lines.get(pathKey(keyPath)) };
}

function checkJsonSyntax(text: string, displayPath: string): void {
  try {
    JSON.parse(text);
  } catch (cause) {
    const at = jsonErrorLocation(text, cause);
    throw new ConfigError(
      'CONFIG_SYNTAX',
      [
        {
          path: '',
          where: at ? `${displayPath}:${at.line}:${at.column}` : displayPath,
          message: `JSON syntax error: ${jsonErrorReason(cause)}`,
          hint: at ? `fix line ${at.line}, column ${at.column}` : 'fix the JSON syntax',
        },
      ],
      { cause },
    );
  }
}

/** path → line of every key (and sequence item) in the document. */
function indexLines(root: unknown, counter: LineCounter): Map<string, number> {
  const lines = new Map<string, number>();
  const visit = (node: unknown, path: Array<string | number>): void => {
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const keyNode = item.key as YamlNode | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const childPath = [...path, key];
        const offset = keyNode?.range?.[0];
        if (offset !== undefined) lines.set(pathKey(childPath), counter.linePos(offset).line);
        visit(item.value, childPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const childPath = [...path, index];
        const offset = (item as YamlNode | null)?.range?.[0];
        if (offset !== undefined) lines.set(pathKey(childPath), counter.linePos(offset).line);
        visit(item, childPath);
      });
    }
  };
  visit(root, []);
  return lines;
}
