/**
 * `keyturn status --check` and the warning of `keyturn token`, one real run per outcome: a real
 * server, tokens saved by `keyturn login`, their expiry moved in the vault (the verdict's
 * boundaries on a frozen clock: lib/signInCheck.test.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { openCliVault, type StoredTokens } from '@keyturn/client';
import { aClient, type TestClient } from '../test-support/clients.js';
import { freshKeyturnHome, runKeyturn } from '../test-support/cliInProcess.js';
import { revoke } from '../test-support/endpoints.js';
import { aPerson, type Person } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

const DAY = 86_400_000;
const f = useServer({}, async (s) => {
  const app: TestClient = await aClient(s, { scope: 'openid email' });
  const ada: Person = await aPerson(s, { name: 'Ada Lovelace' });
  return { app, ada };
});
let home: string;

beforeEach(() => {
  const fresh = freshKeyturnHome('keyturn-check-');
  home = fresh.home;
  return fresh.remove;
});

const run = runKeyturn;

/** Signs Ada in through `keyturn login`, then rewrites what is stored with `change`. */
async function signedIn(change: (t: StoredTokens) => Partial<StoredTokens> = () => ({})): Promise<StoredTokens> {
  const { s, app, ada } = f;
  const login = await run('login', '--npsso', await ada.signIn(), '--server', s.url, '--client-id', app.id, '--client-secret', app.secret!, '--redirect-uri', app.redirectUri, '--scope', 'openid email');
  expect(login.code).toBe(0);
  const vault = await openCliVault({ home, env: {} });
  const stored = (await vault.load('default'))!;
  const changed = { ...stored, ...change(stored) };
  await vault.save('default', changed);
  return changed;
}

const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

describe('keyturn status --check', () => {
  it('exits 0 with an OK line saying until when the sign-in lasts', async () => {
    const t = await signedIn();
    const r = await run('status', '--check');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^OK: profile "default" stays signed in until \d{4}-\d\d-\d\dT[\d:]+Z \(in (59|60) days \d+ h\): sign in again before then\n$/);
    expect(r.out).toContain(t.refreshTokenExpiresAt.slice(0, 16));
  });

  it('exits 1 with a WARNING line when the refresh token ends within 7 days, or within --warn-days', async () => {
    await signedIn(() => ({ refreshTokenExpiresAt: inDays(3) }));
    const r = await run('status', '--check');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`^WARNING: the sign-in of profile "default" ends in 2 days 23 h \\(.*\\): sign in again before then with keyturn login --device --server ${f.s.url} --client-id ${f.app.id}\\n$`));
    expect((await run('status', '--check', '--warn-days', '2')).code).toBe(0);
  });

  it('exits 2 with a CRITICAL line once the refresh token has ended', async () => {
    await signedIn(() => ({ refreshTokenExpiresAt: inDays(-1) }));
    const r = await run('status', '--check');
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^CRITICAL: the sign-in of profile "default" ended 1 day 0 h ago \(.*\): sign in again now with keyturn login --device .*\n$/);
  });

  it('exits 2 when the server no longer accepts the refresh token, once the access token is due', async () => {
    const t = await signedIn(() => ({ accessTokenExpiresAt: new Date(Date.now() - 1_000).toISOString() }));
    expect((await revoke(f.s, f.app, t.refreshToken)).status).toBe(200);
    const r = await run('status', '--check');
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^CRITICAL: the sign-in of profile "default" cannot be refreshed \(invalid_grant.*\): sign in again now with keyturn login --device .*\n$/);
  });

  it('exits 2 when nothing is stored for the profile', async () => {
    const r = await run('status', '--check', '--profile', 'nobody');
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^CRITICAL: not signed in \(no tokens for profile "nobody" in .*\): sign in with keyturn login --npsso-stdin --profile nobody\n$/);
  });

  it('prints the verdict as one JSON object with --json, with the same exit code', async () => {
    const t = await signedIn(() => ({ refreshTokenExpiresAt: inDays(3) }));
    const r = await run('status', '--check', '--json', '--warn-days', '5');
    expect(r.code).toBe(1);
    const verdict = JSON.parse(r.out) as Record<string, unknown>;
    expect(verdict).toMatchObject({ state: 'WARNING', exitCode: 1, profile: 'default', server: f.s.url, clientId: f.app.id, refreshTokenExpiresAt: t.refreshTokenExpiresAt, warnDays: 5 });
    expect(verdict.secondsLeft).toBeGreaterThan(3 * 86_400 - 60);
    expect(verdict.message).toMatch(/^WARNING: the sign-in of profile "default" ends in/);
  });

  it('refuses a --warn-days that is not a whole number, and --json without --check, with exit 2', async () => {
    expect((await run('status', '--check', '--warn-days', 'soon')).code).toBe(2);
    expect((await run('status', '--json')).code).toBe(2);
  });
});

describe('keyturn token within the warning window', () => {
  it('warns on stderr only, so $(keyturn token) captures just the token', async () => {
    await signedIn(() => ({ refreshTokenExpiresAt: inDays(2) }));
    const r = await run('token');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(r.err).toMatch(new RegExp(`^keyturn: warning: the sign-in of profile "default" ends in 1 day 23 h \\(.*\\): sign in again before then with keyturn login --device --server ${f.s.url} --client-id ${f.app.id}\\n$`));
  });

  it('says nothing on stderr outside the window', async () => {
    await signedIn(() => ({ refreshTokenExpiresAt: inDays(8) }));
    const r = await run('token');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
  });
});
