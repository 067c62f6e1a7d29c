/** AuthSession refreshes only at the token endpoint and as the client that issued the tokens. */
import { beforeEach, describe, expect, it } from 'vitest';
import { IssuerMismatchError } from '../errors.js';
import { keyturnServer } from '../exchange/keyturnServer.js';
import { createMemoryStore } from '../stores/memory.js';
import { fakeFetch, json, signInAnswers, tokenBody } from '../test-support/fakeFetch.js';
import { createVault } from '../vault/createVault.js';
import { AuthSession } from './authSession.js';
import { HOUR, stored, T0 } from './test-support/sessionFixtures.js';

const A = 'http://a.example:8080';
const A_TOKEN = `${A}/api/authz/v3/oauth/token`;
const B = 'http://b.example:8080';
const PSN_TOKEN = 'https://ca.account.sony.com/api/authz/v3/oauth/token';
const DUE = T0 + HOUR; // the access token of stored() is due

let clock = T0;
const now = () => clock;
beforeEach(() => {
  clock = T0;
});

/** A token endpoint on any host that answers every request with fresh tokens, recording them. */
const anyServer = () => fakeFetch(() => json(tokenBody({ access_token: 'at-new', scope: 'openid' })));
const boundToA = (overrides = {}) => stored({ tokenEndpoint: A_TOKEN, clientId: 'bot', scope: 'openid profile', ...overrides });
const newVault = () => createVault({ store: createMemoryStore(), keys: [{ id: 'k1', secret: 'a'.repeat(64) }] });

describe('a session of bound tokens', () => {
  it('refreshes at their token endpoint as their public client, asking for the scope they hold, with no server options', async () => {
    const f = anyServer();
    const session = new AuthSession(boundToA(), { fetch: f, now });
    clock = DUE;
    expect(await session.getAccessToken()).toBe('at-new');
    expect(f.requests).toHaveLength(1);
    const req = f.requests[0]!;
    expect(req.url.href).toBe(A_TOKEN);
    expect(req.headers.get('authorization')).toBeNull();
    expect(Object.fromEntries(req.body)).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'rt-0', client_id: 'bot', scope: 'openid profile' });
  });

  it('accepts options naming the same server in another spelling, and uses their client secret', async () => {
    const f = anyServer();
    const session = new AuthSession(boundToA(), { fetch: f, now, baseUrl: `${A}/`, clientId: 'bot', clientSecret: 's3cret' });
    clock = DUE;
    await session.getAccessToken();
    expect(f.requests[0]!.url.href).toBe(A_TOKEN);
    expect(f.requests[0]!.headers.get('authorization')).toBe(`Basic ${Buffer.from('bot:s3cret').toString('base64')}`);
  });

  it('keeps the binding through a refresh, so the new tokens go back to the same server', async () => {
    const f = anyServer();
    const session = new AuthSession(boundToA(), { fetch: f, now });
    clock = DUE;
    await session.getAccessToken();
    expect(session.tokens).toMatchObject({ accessToken: 'at-new', tokenEndpoint: A_TOKEN, clientId: 'bot' });
  });

  it('refuses options naming another server with ERR_ISSUER_MISMATCH, sending nothing', () => {
    const f = anyServer();
    let err: unknown;
    try {
      new AuthSession(boundToA(), { fetch: f, now, baseUrl: B });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IssuerMismatchError);
    expect(err).toMatchObject({
      code: 'ERR_ISSUER_MISMATCH',
      issuedBy: { tokenEndpoint: A_TOKEN, clientId: 'bot' },
      requested: { tokenEndpoint: `${B}/api/authz/v3/oauth/token`, clientId: 'bot' },
    });
    expect((err as Error).message).toContain(A_TOKEN);
    expect((err as Error).message).not.toContain('rt-0');
    expect(f.requests).toHaveLength(0);
  });

  it('refuses options naming another client of the same server', () => {
    expect(() => new AuthSession(boundToA(), { now, clientId: 'other' })).toThrow(IssuerMismatchError);
  });

  it('refuses PlayStation options for Keyturn tokens, even though they are the defaults', () => {
    expect(() => new AuthSession(boundToA(), { now, baseUrl: 'https://ca.account.sony.com' })).toThrow(IssuerMismatchError);
  });

  it('binds an exchange result given to setTokens to the server of the tokens it replaces', async () => {
    const f = anyServer();
    const session = new AuthSession(boundToA(), { fetch: f, now });
    session.setTokens({ accessToken: 'at-x', expiresIn: 3600, idToken: 'i', refreshToken: 'rt-x', refreshTokenExpiresIn: 86_400, scope: 'openid', tokenType: 'bearer' });
    expect(session.tokens).toMatchObject({ refreshToken: 'rt-x', tokenEndpoint: A_TOKEN, clientId: 'bot' });
    clock = DUE;
    await session.getAccessToken();
    expect(f.requests.map((r) => r.url.href)).toEqual([A_TOKEN]);
  });
});

describe('a session from a vault', () => {
  it('records the token endpoint and client inside the encrypted entry at sign-in', async () => {
    const vault = newVault();
    const f = fakeFetch(signInAnswers('com.example.bot://redirect/?code=v3.c'));
    await AuthSession.fromNpsso('n'.repeat(64), { ...keyturnServer(A, { clientId: 'bot', clientSecret: 's' }), fetch: f, now, vault, name: 'bot' });
    expect(await vault.load('bot')).toMatchObject({ tokenEndpoint: A_TOKEN, clientId: 'bot' });
    const raw = (await vault.store.get('bot'))!;
    expect(raw).toMatch(/^kt1\./);
    expect(raw).not.toContain('a.example');
  });

  it('binds PlayStation sign-ins to PlayStation, so Keyturn options cannot redirect their refresh', async () => {
    const vault = newVault();
    const f = fakeFetch(signInAnswers('com.scee.psxandroid.scecompcall://redirect/?code=v3.c'));
    await AuthSession.fromNpsso('n'.repeat(64), { fetch: f, now, vault, name: 'bot' });
    expect(await vault.load('bot')).toMatchObject({ tokenEndpoint: PSN_TOKEN, clientId: '09515159-7237-4370-9b40-3806e67c0891' });
    await expect(AuthSession.fromVault(vault, 'bot', { fetch: f, baseUrl: A })).rejects.toBeInstanceOf(IssuerMismatchError);
    expect(f.requests).toHaveLength(2); // authorize + code exchange only
  });

  it('refuses, without sending, when another process saved tokens of another server under the same name', async () => {
    const vault = newVault();
    await vault.save('bot', boundToA());
    const f = anyServer();
    const session = await AuthSession.fromVault(vault, 'bot', { fetch: f, now, baseUrl: A });
    await vault.save('bot', stored({ tokenEndpoint: `${B}/api/authz/v3/oauth/token`, clientId: 'bot', obtainedAt: new Date(T0 + 1).toISOString() }));
    clock = DUE;
    await expect(session.getAccessToken()).rejects.toMatchObject({ code: 'ERR_ISSUER_MISMATCH' });
    expect(f.requests).toHaveLength(0);
  });

  it('still loads an entry saved before tokens remembered their issuer, refreshes it where the options say, then binds it', async () => {
    const vault = newVault();
    await vault.save('bot', stored());
    const f = anyServer();
    const session = await AuthSession.fromVault(vault, 'bot', { fetch: f, now, baseUrl: A, clientId: 'bot' });
    clock = DUE;
    expect(await session.getAccessToken()).toBe('at-new');
    expect(f.requests[0]!.url.href).toBe(A_TOKEN);
    expect(await vault.load('bot')).toMatchObject({ accessToken: 'at-new', tokenEndpoint: A_TOKEN, clientId: 'bot' });
  });
});
