import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommanderError, type Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../src/cli/program.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

interface DocCommand {
  where: string;
  line: string;
  argv: string[];
  /** Inline code in prose names a command (`storycore convert`); it may leave out required arguments and options. */
  mention: boolean;
}

/** Shell words of one command: quotes and backslash escapes; stops at a comment, a pipe, a redirect or `&&`. */
function words(text: string): string[] {
  const out: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      word = (word ?? '') + text.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? text.length : end;
    } else if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i];
    } else if (/\s/.test(c)) {
      if (word !== undefined) out.push(word);
      word = undefined;
    } else if ((c === '#' && word === undefined) || c === '|' || c === '>' || c === ';' || (c === '&' && text[i + 1] === '&')) {
      break;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) out.push(word);
  return out;
}

/** `storycore …` lines of fenced shell blocks (with `\` continuations) and inline code, except synopses (`[opts]`, `<x>`). */
function documentedCommands(): DocCommand[] {
  const found: DocCommand[] = [];
  for (const page of PAGES) {
    const lines = readFileSync(join(ROOT, page), 'utf8').split('\n');
    let fence: string | undefined;
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n]!;
      const marker = /^\s*```(\w*)/.exec(line);
      if (marker) {
        fence = fence === undefined ? marker[1] || 'sh' : undefined;
        continue;
      }
      const candidates: string[] = [];
      const mention = fence === undefined;
      if (fence !== undefined && ['sh', 'bash', 'shell', 'console'].includes(fence)) {
        let full = line;
        while (/\\\s*$/.test(full) && n + 1 < lines.length) full = full.replace(/\\\s*$/, ' ') + lines[++n];
        const at = /(?:^|\s|\$ )(?:npx )?storycore(?=\s|$)/.exec(full);
        if (at) candidates.push(full.slice(full.indexOf('storycore', at.index)));
      } else if (fence === undefined) {
        for (const m of line.matchAll(/`(?:npx )?(storycore [^`]+)`/g)) candidates.push(m[1]!);
      }
      for (const text of candidates) {
        if (/[[<…{]|\.\.\.|\|/.test(text.split(' #')[0]!)) continue; // a synopsis, not a command line
        found.push({ where: `${page}:${n + 1}`, line: text.trim(), argv: words(text).slice(1), mention });
      }
    }
  }
  return found;
}

/** Parses `argv` with the real program, every action replaced by a no-op: only commander's own checks run. */
async function parseOnly(argv: string[]): Promise<string | undefined> {
  const sink = { write: () => true };
  const { program } = createProgram({ stdout: sink, stderr: sink, env: {}, cwd: ROOT, onStopSignal: () => () => undefined });
  let unknown: string | undefined;
  const quiet = (cmd: Command): void => {
    cmd.configureOutput({ writeOut: () => undefined, writeErr: () => undefined, outputError: () => undefined });
    cmd.action(() => undefined);
    cmd.commands.forEach(quiet);
  };
  quiet(program);
  program.action((_o: unknown, cmd: Command) => {
    if (cmd.args.length > 0) unknown = `unknown command '${cmd.args[0]}'`;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code)) return undefined;
      return error.message;
    }
    // The --config-check hook ran: the line parsed.
    return undefined;
  }
  return unknown;
}

describe('every storycore command line in README.md and docs/ parses with the real program', () => {
  const commands = documentedCommands();

  it('finds the documented command lines', () => {
    expect(commands.length).toBeGreaterThan(40);
    expect(commands.some((c) => c.where.startsWith('README.md'))).toBe(true);
  });

  it.each(commands.map((c) => [c.where, c.line, c] as const))('%s: %s', async (_where, _line, command) => {
    const problem = await parseOnly(command.argv);
    if (command.mention && problem && /missing required argument|required option/.test(problem)) return;
    expect(problem).toBeUndefined();
  });

  it('would catch a wrong option', async () => {
    expect(await parseOnly(['comfyui', 'start', '--set', 'paths.comfyui.dir=/opt/ComfyUI'])).toMatch(/unknown option '--set'/);
    expect(await parseOnly(['generat'])).toMatch(/unknown command 'generat'/);
  });
});
