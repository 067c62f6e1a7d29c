/** The start banner and log fields: "No account yet?" only when nobody can sign in; the `user add` hint names the database it must use. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startBanner, startFields } from './startBanner.js';
import { withoutPassword } from './withoutPassword.js';

const BASE = { url: 'http://127.0.0.1:8080', issuer: 'http://127.0.0.1:8080', metricsUrl: null, defaultDatabase: '/srv/keyturn/data/keyturn.db' };

describe('the start banner', () => {
  it('offers to create an account only when there is nobody (regression: it always did)', () => {
    const empty = startBanner({ ...BASE, database: '/srv/keyturn/data/keyturn.db', people: 0 });
    expect(empty).toContain('No account yet? Create one:');
    expect(empty).toContain("printf '%s' 'a-long-password' | npx --no-install keyturn user add --email you@example.com --password-stdin\n");
    const two = startBanner({ ...BASE, database: '/srv/keyturn/data/keyturn.db', people: 2 });
    expect(two).not.toContain('No account yet');
    expect(two).toContain('Sign in at http://127.0.0.1:8080/signin (2 people can).');
  });

  it('names --database in the user add hint on PostgreSQL, with a placeholder for the password (regression: the person landed in SQLite)', () => {
    const banner = startBanner({ ...BASE, database: 'postgres://keyturn:s3cret@db.internal:5432/keyturn', people: 0 });
    expect(banner).toContain("--password-stdin --database 'postgres://keyturn:<password>@db.internal:5432/keyturn'\n");
    expect(banner).toContain('database postgres://keyturn:***@db.internal:5432/keyturn)');
    expect(banner).not.toContain('s3cret');
    expect(startBanner({ ...BASE, database: 'postgres://keyturn@db/keyturn', people: 0 })).toContain('--password-stdin --database postgres://keyturn@db/keyturn\n');
  });

  it('names --database for a SQLite file other than the default one', () => {
    const file = path.resolve('/elsewhere/my db.sqlite');
    expect(startBanner({ ...BASE, database: file, people: 0 })).toContain(`--password-stdin --database '${file}'\n`);
  });

  it('mentions the metrics listener when there is one', () => {
    expect(startBanner({ ...BASE, database: BASE.defaultDatabase, people: 1, metricsUrl: 'http://127.0.0.1:9464' })).toContain('Metrics: http://127.0.0.1:9464/metrics\n');
  });
});

describe('the start log fields', () => {
  it('carry the facts, and the database without its password', () => {
    expect(startFields({ ...BASE, database: 'postgres://k:pw@db/k', people: 0, metricsUrl: 'http://127.0.0.1:9464' })).toEqual({
      url: BASE.url,
      issuer: BASE.issuer,
      database: 'postgres://k:***@db/k',
      people: 0,
      signIn: 'http://127.0.0.1:8080/signin',
      metrics: 'http://127.0.0.1:9464/metrics',
    });
  });

  it('masks only a password, and leaves paths alone', () => {
    expect(withoutPassword('redis://:hunter2@cache:6379')).toBe('redis://:***@cache:6379');
    expect(withoutPassword('redis://cache:6379')).toBe('redis://cache:6379');
    expect(withoutPassword('./data/keyturn.db')).toBe('./data/keyturn.db');
  });
});
