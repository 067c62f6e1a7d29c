/**
 * Ending a person's access on a fleet: two server instances on one PostgreSQL database, and the
 * `keyturn` command run as its own process. Disabling, removing or setting a new password for a
 * person stops their refresh token, NPSSO and access token on the OTHER instance at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removePerson } from '../domain/people/removePerson.js';
import { Browser } from '../test-support/browser.js';
import { ENV, keyturn } from '../test-support/cli.js';
import { aClient, type TestClient } from '../test-support/clients.js';
import { testBackends } from '../test-support/databases.js';
import { introspect, ssoCookie, userinfo } from '../test-support/endpoints.js';
import { refreshOutcome, signInTokens, type TokenBody } from '../test-support/oauth.js';
import { aPerson, type Person } from '../test-support/people.js';
import { startTestServer, TEST_SECRET, type TestServer } from '../test-support/server.js';

const ISSUER = 'http://keyturn.test';

describe.skipIf(!testBackends().includes('postgres'))('ending access across two server instances on one PostgreSQL database', () => {
  let a: TestServer;
  let b: TestServer;
  let app: TestClient;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'keyturn-people-'));
  /** The `keyturn` command on the shared database, with the fleet's secret and nothing written locally. */
  const cli = (args: string[], stdin?: string) =>
    keyturn([...args, '--database', a.database, '--data-dir', dataDir], { env: { ...ENV, KEYTURN_SECRET: TEST_SECRET }, ...(stdin === undefined ? {} : { stdin }) });

  beforeAll(async () => {
    a = await startTestServer({ backend: 'postgres', config: { issuer: ISSUER, issuerFromAddress: false } });
    b = await startTestServer({ config: { issuer: ISSUER, issuerFromAddress: false, database: a.database } });
    app = await aClient(a);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A person signed in on instance A, with tokens from A that work on B. */
  async function signedInOnA(): Promise<{ person: Person; npsso: string; tokens: TokenBody }> {
    const person = await aPerson(a);
    const npsso = await person.signIn();
    const tokens = await signInTokens(a, npsso, app);
    expect((await userinfo(b, tokens.access_token)).status).toBe(200);
    return { person, npsso, tokens };
  }

  /** On instance B: the NPSSO, the refresh token and the access token all refused. */
  async function expectDeadOnB(npsso: string, tokens: TokenBody): Promise<void> {
    expect((await ssoCookie(b, npsso)).status).toBe(401);
    expect(await refreshOutcome(b, app, tokens.refresh_token)).toEqual({ status: 400, error: 'invalid_grant' });
    expect((await userinfo(b, tokens.access_token)).status).toBe(401);
    expect(await introspect(b, app, tokens.access_token)).toEqual({ active: false });
  }

  it('keyturn user disable: B refuses everything at once, and the right password gets "disabled"', async () => {
    const { person, npsso, tokens } = await signedInOnA();
    const run = await cli(['user', 'disable', person.email]);
    expect(run).toMatchObject({ code: 0, stderr: '', stdout: `disabled ${person.email}: 1 app and 1 browser signed out; keyturn user enable ${person.email} lets them sign in again\n` });
    await expectDeadOnB(npsso, tokens);
    const refused = await new Browser(b).signIn(person.email, person.password);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('This account is disabled.');
    expect((await new Browser(b).signIn(person.email, 'not the password')).body).toContain('Wrong email or password.');

    expect(await cli(['user', 'enable', person.email])).toMatchObject({ code: 0, stdout: `enabled ${person.email}: they can sign in again\n` });
    expect((await new Browser(b).signIn(person.email, person.password)).status).toBe(303);
    expect(await refreshOutcome(b, app, tokens.refresh_token)).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('keyturn user set-password: B refuses the old sessions and tokens, and the old password', async () => {
    const { person, npsso, tokens } = await signedInOnA();
    const run = await cli(['user', 'set-password', person.email, '--password-stdin'], 'violet kettle anchor moss\n');
    expect(run).toMatchObject({ code: 0, stderr: '', stdout: `new password set for ${person.email}: 1 app and 1 browser signed out\n` });
    await expectDeadOnB(npsso, tokens);
    expect((await new Browser(b).signIn(person.email, person.password)).status).toBe(401);
    expect((await new Browser(b).signIn(person.email, 'violet kettle anchor moss')).status).toBe(303);
  });

  it('removing the person on A: B refuses everything at once', async () => {
    const { person, npsso, tokens } = await signedInOnA();
    await removePerson(a.kt, person.email);
    await expectDeadOnB(npsso, tokens);
    expect((await new Browser(b).signIn(person.email, person.password)).status).toBe(401);
  });
});
