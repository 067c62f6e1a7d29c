import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteRepository } from './sqlite.js';

describe('the embedded SQLite database', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('creates the database file and its WAL files readable by the owner only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyturn-sqlite-mode-'));
    dirs.push(dir);
    const file = join(dir, 'nested', 'keyturn.db');
    const repo = await createSqliteRepository(file);
    try {
      await repo.createUser({ id: 'u1', email: 'ada@example.com', passwordHash: 'x', name: null, createdAt: 1, status: 'active' });
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700);
    } finally {
      await repo.close();
    }
  });
});
