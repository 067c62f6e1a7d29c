/**
 * The domain test fixture: the real domain context (`createKeyturn`) over SQLite in memory with
 * a frozen clock, no HTTP, and builders for a person, a client and a grant obtained through the
 * real domain functions (sign-in, SSO, authorization, code exchange).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach } from 'vitest';
import { createKeyturn } from '../compose.js';
import { loadConfig, type ServerConfig } from '../config.js';
import { validateClientAndRedirect, issueCode } from '../domain/authorize.js';
import { addClient } from '../domain/clients.js';
import type { Keyturn } from '../domain/context.js';
import type { OAuthErrorCode } from '../domain/errors.js';
import { sha256Hex } from '../domain/lib/crypto.js';
import { signIn } from '../domain/signIn.js';
import { resolveSso, type LiveSso } from '../domain/sso.js';
import { exchangeCode } from '../domain/tokens/exchangeCode.js';
import type { TokenResponse } from '../domain/tokens/response.js';
import { createUser } from '../domain/users.js';
import type { ClientRecord, GrantRecord, RefreshPolicy, RefreshTokenRecord, UserRecord } from '../storage/records.js';
import { frozenClock, type FrozenClock } from './clock.js';

/** Where every domain test's clock starts: 2030-01-01T00:00:00Z. */
export const T0 = Date.UTC(2030, 0, 1);
export const PASSWORD = 'correct horse battery staple';
export const REDIRECT_URI = 'https://app.example/callback';
/** The address every builder signs in and authenticates from. */
export const ADDRESS = '198.51.100.7';
const SECRET = 'domain-test-secret-domain-test-secret-0123';

export interface DomainContext {
  kt: Keyturn;
  clock: FrozenClock;
  /** The temporary data folder (holds the database file with `database: 'file'`). */
  dataDir: string;
  /**
   * Deletes a person's row past the foreign keys, whose cascade would take their grants and
   * codes along: the one way to reach a grant or code that outlived its person. Needs `database: 'file'`.
   */
  removePerson(userId: string): void;
  close(): Promise<void>;
}

export interface DomainOptions {
  /** Overrides on top of the loaded configuration (e.g. `{ rotationRetryWindowSec: 5 }`); the signing algorithm is ES256 unless set here. */
  config?: Partial<ServerConfig>;
  /** `memory` (default) or a SQLite file in the data folder, which `removePerson` can reach past the foreign keys. */
  database?: 'memory' | 'file';
}

/**
 * A fresh domain context with its clock frozen at `T0`; `close()` it after the test.
 *
 * @example
 * ```ts
 * const { kt, clock, close } = await domainContext({ config: { rotationRetryWindowSec: 5 } });
 * clock.advance(6 * SECOND);
 * await close();
 * ```
 */
export async function domainContext(options: DomainOptions = {}): Promise<DomainContext> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'keyturn-domain-'));
  const file = path.join(dataDir, 'keyturn.db');
  const database = options.database === 'file' ? file : ':memory:';
  const config = loadConfig({ database, dataDir }, { KEYTURN_SECRET: SECRET });
  // ES256 because an RSA key takes ~250 ms to generate per test; the signing algorithm is not what these tests are about.
  Object.assign(config, { signingAlg: 'ES256' }, options.config);
  const clock = frozenClock(T0);
  let kt: Keyturn;
  try {
    kt = await createKeyturn(config, { now: clock.now });
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    kt,
    clock,
    dataDir,
    removePerson(userId) {
      if (database !== file) throw new Error('removePerson needs domainContext({ database: "file" })');
      const raw = new Sqlite(file);
      raw.pragma('foreign_keys = OFF');
      try {
        raw.prepare('delete from users where id = ?').run(userId);
      } finally {
        raw.close();
      }
    },
    async close() {
      await kt.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A domain context with a person already signed up and a client registered, renewed for every test. */
export interface DomainTest extends DomainContext {
  person: Person;
  client: ClientRecord;
  /** The client's secret in clear; null for a public client. */
  secret: string | null;
}

/**
 * Gives every test of the calling `describe` a fresh `domainContext(options)`, a person and a
 * client (`aClient(kt, options.client)`), closed after it; read the fields inside the tests
 * (they change from test to test).
 *
 * @example
 * ```ts
 * const t = useDomainContext({ client: { policy: 'rotate' }, config: { rotationRetryWindowSec: 3 } });
 * it('…', async () => {
 *   const { refreshToken } = await aGrant(t.kt, t.client, t.person);
 * });
 * ```
 */
export function useDomainContext(options: DomainOptions & { client?: ClientOptions } = {}): DomainTest {
  const t = {} as DomainTest;
  beforeEach(async () => {
    const d = await domainContext(options);
    Object.assign(t, d, { person: await aPerson(d.kt) }, await aClient(d.kt, options.client));
  });
  afterEach(() => t.close());
  return t;
}

export interface Person {
  user: UserRecord;
  email: string;
  password: string;
}

let people = 0;

/** A person who can sign in with `PASSWORD`, under a new email each time. */
export async function aPerson(kt: Keyturn, name: string | null = 'Ada Lovelace'): Promise<Person> {
  people += 1;
  const email = `person${people}@example.com`;
  return { user: await createUser(kt, { email, password: PASSWORD, name }), email, password: PASSWORD };
}

export interface ClientOptions {
  id?: string;
  policy?: RefreshPolicy;
  public?: boolean;
  scope?: string;
  redirectUris?: string[];
  refreshTtlSec?: number | null;
  refreshIdleTtlSec?: number | null;
  /** Grant type names (`device_code` for device sign-in); the server's default when left out. */
  grantTypes?: string[];
}

export interface TestClient {
  client: ClientRecord;
  /** The secret in clear; null for a public client. */
  secret: string | null;
}

let clients = 0;

/** A registered client: confidential with the `reuse` policy unless told otherwise, one redirect URI, the default scope. */
export async function aClient(kt: Keyturn, options: ClientOptions = {}): Promise<TestClient> {
  clients += 1;
  const isPublic = options.public === true;
  const secret = isPublic ? undefined : randomBytes(24).toString('base64url');
  const added = await addClient(kt, {
    id: options.id ?? `app-${clients}`,
    secret,
    public: isPublic,
    redirectUris: options.redirectUris ?? [REDIRECT_URI],
    scope: options.scope,
    refreshPolicy: options.policy,
    refreshTtlSec: options.refreshTtlSec ?? null,
    refreshIdleTtlSec: options.refreshIdleTtlSec ?? null,
    grantTypes: options.grantTypes,
  });
  return { client: added.client, secret: secret ?? null };
}

export interface CodeOptions {
  /** Requested scope; default: the client's whole scope (which has offline_access by default). */
  scope?: string;
  /** Send a PKCE challenge; default: only for a public client, which must. */
  pkce?: boolean;
  /** The PKCE verifier to send the challenge of (default: a random one); implies `pkce`. */
  verifier?: string;
  /** Leave redirect_uri out of the authorization request (the client's only URI is used). */
  omitRedirectUri?: boolean;
  nonce?: string;
}

export interface IssuedCode {
  code: string;
  /** The PKCE verifier, when a challenge was sent. */
  verifier: string | undefined;
  /** The redirect URI the authorization request named, or undefined when it left it out. */
  redirectUri: string | undefined;
  sso: LiveSso;
  /** The npsso of the sign-in that issued the code. */
  npsso: string;
}

/** Signs `person` in and issues an authorization code to `client`, as the authorization endpoint does. */
export async function aCode(kt: Keyturn, client: ClientRecord, person: Person, options: CodeOptions = {}): Promise<IssuedCode> {
  const signedIn = await signIn(kt, { email: person.email, password: person.password, address: ADDRESS });
  const sso = await resolveSso(kt, signedIn.npsso);
  if (!sso) throw new Error('the new SSO session does not resolve');
  const pkce = options.pkce ?? (options.verifier !== undefined || client.secretHash === null);
  const verifier = pkce ? (options.verifier ?? randomBytes(32).toString('base64url')) : undefined;
  const redirectUri = options.omitRedirectUri ? undefined : (client.redirectUris[0] ?? REDIRECT_URI);
  const params = {
    client_id: client.id,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: options.scope,
    nonce: options.nonce,
    ...(verifier ? { code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' } : {}),
  };
  const { code } = await issueCode(kt, await validateClientAndRedirect(kt, params), params, sso);
  return { code, verifier, redirectUri, sso, npsso: signedIn.npsso };
}

export interface TestGrant {
  /** The token endpoint's answer to the code exchange. */
  tokens: TokenResponse;
  /** The refresh token (throws when the grant has none: ask for offline_access). */
  refreshToken: string;
  grant: GrantRecord;
}

/** A grant of `person` to `client`, obtained as a client does: a code, then the code exchange. */
export async function aGrant(kt: Keyturn, client: ClientRecord, person: Person, options: CodeOptions = {}): Promise<TestGrant> {
  const issued = await aCode(kt, client, person, options);
  const tokens = await exchangeCode(kt, client, { code: issued.code, redirectUri: issued.redirectUri, codeVerifier: issued.verifier });
  const record = tokens.refresh_token === undefined ? null : await refreshTokenRecord(kt, tokens.refresh_token);
  const grant = record ? await kt.repo.getGrant(record.grantId) : null;
  if (!grant || tokens.refresh_token === undefined) throw new Error('the exchange issued no refresh token');
  return { tokens, refreshToken: tokens.refresh_token, grant };
}

/** The stored record of a raw refresh token (only its hash is stored). */
export async function refreshTokenRecord(kt: Keyturn, token: string): Promise<RefreshTokenRecord | null> {
  return kt.repo.findRefreshToken(sha256Hex(token));
}

/**
 * What a refused domain call rejects with, for `toMatchObject`: the class, the RFC 6749 code and
 * the exact description.
 *
 * @example
 * ```ts
 * await expect(refreshTokens(kt, client, { refreshToken })).rejects.toMatchObject(refusal('invalid_grant', 'the refresh token is invalid'));
 * ```
 */
export function refusal(error: OAuthErrorCode, description: string): { name: 'OAuthError'; error: OAuthErrorCode; description: string } {
  return { name: 'OAuthError', error, description };
}
