import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync } from 'node:fs';

/**
 * Opens an SQLite file to read without writing anything beside it. A read-only connection to
 * a WAL database still creates `-wal` and `-shm` files, so when no writer has them open (no
 * `-wal` file) the database is read into memory instead, its header switched from WAL to the
 * rollback journal (bytes 18–19) as SQLite requires for an in-memory copy. With a live writer
 * the files already exist and the database is opened read-only in place, seeing its commits.
 */
export function openForReading(path: string): Database.Database {
  const wal = `${path}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) return new Database(path, { readonly: true, fileMustExist: true });
  const bytes = readFileSync(path);
  if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) {
    bytes[18] = 1;
    bytes[19] = 1;
  }
  return new Database(bytes);
}
