import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { TASK_INDEX_SCHEMA, TASK_INDEX_SCHEMA_VERSION } from '../../src/assets/task-index.js';

const CHILD = fileURLToPath(new URL('./support/open-index-child.ts', import.meta.url));

describe('two processes opening a new store at once', () => {
  it('only the first creates the index tables; the other waits and uses them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'storycore-index-race-'));
    try {
      const path = join(dir, 'index.sqlite');
      // This process starts creating the schema and holds the write lock…
      const first = new Database(path);
      first.pragma('journal_mode = WAL');
      first.exec('BEGIN IMMEDIATE');
      // …while another process opens the index: it reads user_version 0, then waits for the lock.
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      await new Promise((r) => setTimeout(r, 1500));
      first.exec(TASK_INDEX_SCHEMA);
      first.pragma(`user_version = ${TASK_INDEX_SCHEMA_VERSION}`);
      first.exec('COMMIT');
      first.close();
      await new Promise((r) => child.once('exit', r));
      expect(out.trim()).toBe('ok');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
