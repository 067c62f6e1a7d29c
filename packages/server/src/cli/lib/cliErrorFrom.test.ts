/** Each client-library failure becomes one line naming the cause and the next step, without a network. */
import { describe, expect, it } from 'vitest';
import {
  InvalidClientError,
  InvalidNpssoError,
  InvalidResponseError,
  NetworkError,
  OAuthError,
  PersistError,
  PSN_BASE_URL,
  PSN_CLIENT_ID,
  PSN_REDIRECT_URI,
  PSN_SCOPE,
  RateLimitedError,
  RefreshTokenExpiredError,
  ReloginRequiredError,
  ServerError,
  StoreError,
  TimeoutError,
  VaultError,
} from '@keyturn/client';
import { cliErrorFrom, type ErrorContext } from './cliErrorFrom.js';
import { CliError } from './errors.js';

const ORIGIN = 'http://127.0.0.1:8080';
const keyturnServer: ErrorContext = {
  name: 'work',
  home: '/home/ada/.config/keyturn',
  server: ORIGIN,
  profile: { baseUrl: `${ORIGIN}/api/authz/v3/oauth`, clientId: 'bot', redirectUri: 'com.example.bot://cb', scope: 'openid email' },
};
const playStation: ErrorContext = {
  name: 'default',
  home: '/home/ada/.config/keyturn',
  profile: { baseUrl: PSN_BASE_URL, clientId: PSN_CLIENT_ID, redirectUri: PSN_REDIRECT_URI, scope: PSN_SCOPE },
};
const AGAIN = `sign in at ${ORIGIN}/signin, then copy "npsso" from ${ORIGIN}/api/v1/ssocookie, and run keyturn login --npsso-stdin --server ${ORIGIN} --profile work`;

function refused(cause: string): Error {
  const code = Object.assign(new Error(cause), { code: cause });
  return new NetworkError(`could not reach ${ORIGIN}: ${cause}`, {}, { cause: new TypeError('fetch failed', { cause: code }) });
}

describe('cliErrorFrom', () => {
  const table: Array<[string, unknown, ErrorContext, string]> = [
    ['unknown client (authorize JSON error)', new OAuthError('the server answered invalid_request: Unknown client', { status: 400, error: 'invalid_request', error_description: 'Unknown client' }), keyturnServer,
      "the server does not know client 'bot': register it on the server with `keyturn client add --id bot --redirect-uri com.example.bot://cb …` or pass the right --client-id"],
    ['unregistered redirect URI', new OAuthError('x', { status: 400, error: 'invalid_request', error_description: 'Unregistered redirect URI' }), keyturnServer,
      "the server has no redirect URI 'com.example.bot://cb' for client 'bot' (Unregistered redirect URI): pass a registered one with --redirect-uri (`keyturn client list` on the server shows them)"],
    ['authorize 400 without an OAuth error (older servers)', new InvalidResponseError('unexpected answer (HTTP 400) without an OAuth error', { status: 400 }), keyturnServer,
      "the server refused the sign-in request (HTTP 400): check that it knows client 'bot' with redirect URI 'com.example.bot://cb' (`keyturn client list` on the server), or fix --client-id and --redirect-uri"],
    ['another unusable answer', new InvalidResponseError('the server redirected (HTTP 302) without a Location', { status: 302 }), keyturnServer,
      `the server redirected (HTTP 302) without a Location: check that --server names a Keyturn server (now ${ORIGIN})`],
    ['refused NPSSO at Keyturn', new InvalidNpssoError('the NPSSO token was not accepted', { status: 302 }), keyturnServer,
      `the server refused the NPSSO token (expired, signed out or mistyped): ${AGAIN}`],
    ['refused NPSSO at PlayStation', new InvalidNpssoError('the NPSSO token was not accepted', { status: 302 }), playStation,
      'the server refused the NPSSO token (expired, signed out or mistyped): sign in at https://www.playstation.com, then copy "npsso" from https://ca.account.sony.com/api/v1/ssocookie, and run keyturn login --npsso-stdin'],
    ['wrong secret', new InvalidClientError('the server refused the client', { status: 401, error: 'invalid_client', error_description: 'client authentication failed' }), keyturnServer,
      "the server refused the credentials of client 'bot' (invalid_client: client authentication failed): pass the secret it was registered with (`keyturn client add --id bot`) as --client-secret or KEYTURN_CLIENT_SECRET, or the right --client-id"],
    ['refresh token expired', new RefreshTokenExpiredError('the refresh token expired'), keyturnServer, `the refresh token has expired: ${AGAIN}`],
    ['refresh token refused', new ReloginRequiredError('refused', { status: 400, error: 'invalid_grant', error_description: 'token revoked' }), keyturnServer,
      `the server no longer accepts the stored refresh token (invalid_grant: token revoked): ${AGAIN}`],
    ['server down', refused('ECONNREFUSED'), keyturnServer, `could not reach the server at ${ORIGIN} (ECONNREFUSED): check that it is running and that --server names it`],
    ['no answer in time', new TimeoutError(`no answer from ${ORIGIN} within 10000 ms`), keyturnServer,
      `no answer from ${ORIGIN} within 10000 ms: check that the server at ${ORIGIN} is up and reachable, then run the command again`],
    ['rate limited', new RateLimitedError('rate limited by the server (HTTP 429); retry after 30 s', { status: 429 }, 30), keyturnServer,
      'rate limited by the server (HTTP 429); retry after 30 s: wait 30 s and run the command again'],
    ['server failed', new ServerError('the server failed (HTTP 503)', { status: 503 }), keyturnServer,
      `the server failed (HTTP 503): the server at ${ORIGIN} failed, not this command; try again later or read the server's log`],
    ['scope refused', new OAuthError('x', { status: 400, error: 'invalid_scope', error_description: 'scope not allowed' }), keyturnServer,
      `the server refused the scopes "openid email" (invalid_scope: scope not allowed): ask with --scope only for scopes client 'bot' may use`],
    ['other OAuth error', new OAuthError('x', { status: 400, error: 'invalid_grant' }), keyturnServer,
      'the server refused the request (invalid_grant): check --client-id, --redirect-uri and --scope, then run the command again'],
    ['tokens not saved', new PersistError('signed in, but the tokens could not be saved'), keyturnServer,
      `signed in, but the tokens could not be saved in /home/ada/.config/keyturn: check that this folder is writable, then ${AGAIN}`],
    ['tokens unreadable', new VaultError('ERR_VAULT_DECRYPT', 'Vault entry "work" failed to decrypt'), keyturnServer, `the stored tokens cannot be read (ERR_VAULT_DECRYPT): ${AGAIN}`],
    ['lock held too long', new StoreError('ERR_LOCK_TIMEOUT', 'lock busy'), keyturnServer,
      'another keyturn process held the token lock too long (ERR_LOCK_TIMEOUT): run the command again'],
  ];

  it.each(table)('says what went wrong and what to do: %s', (_what, err, ctx, message) => {
    const mapped = cliErrorFrom(err, ctx);
    expect(mapped).toBeInstanceOf(CliError);
    expect((mapped as CliError).message).toBe(message);
    expect((mapped as CliError).exitCode).toBe(1);
  });

  it('leaves errors it does not know unchanged', () => {
    const other = new Error('disk full');
    expect(cliErrorFrom(other, keyturnServer)).toBe(other);
  });
});
