/**
 * A client-library failure as one line for a person: what went wrong, then what to do about it.
 * Never repeats a token (the client's messages carry none either).
 */
import { KeyturnError, StoreError, VaultError, type KeyturnClientError } from '@keyturn/client';
import { CliError } from './errors.js';
import type { Profile } from './profiles.js';
import { signInAgain } from './signInHints.js';

/** What the command was doing, so the advice can name the flags and values involved. */
export interface ErrorContext {
  /** --profile */
  name: string;
  profile: Profile;
  home: string;
  /** --server exactly as given on this command, if it was. */
  server?: string | undefined;
}

/** Maps client, vault and store errors; anything else is returned unchanged. */
export function cliErrorFrom(err: unknown, ctx: ErrorContext): unknown {
  if (err instanceof KeyturnError) return new CliError(messageFor(err as KeyturnClientError, ctx));
  const again = signInAgain({ ...ctx, baseUrl: ctx.profile.baseUrl });
  if (err instanceof VaultError) return new CliError(`the stored tokens cannot be read (${err.code}): ${again}`);
  if (err instanceof StoreError && err.code === 'ERR_LOCK_TIMEOUT') {
    return new CliError(`another keyturn process held the token lock too long (${err.code}): run the command again`);
  }
  if (err instanceof StoreError) return new CliError(`the token store in ${ctx.home} failed (${err.code}: ${err.message}): check that folder, or ${again}`);
  return err;
}

/** `invalid_client: client authentication failed`, or the message when the server said nothing. */
function said(err: KeyturnError): string {
  if (err.error === undefined) return err.message;
  return err.error_description ? `${err.error}: ${err.error_description}` : err.error;
}

/** The system's code (ECONNREFUSED, ENOTFOUND…) from the cause chain, else the message. */
function networkReason(err: Error): string {
  for (let cause: unknown = err.cause; cause instanceof Error; cause = cause.cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
  }
  return err.message;
}

function messageFor(err: KeyturnClientError, ctx: ErrorContext): string {
  const { clientId, redirectUri, scope } = ctx.profile;
  const origin = new URL(ctx.profile.baseUrl).origin;
  const again = signInAgain({ ...ctx, baseUrl: ctx.profile.baseUrl });
  const description = err.error_description ?? '';
  // The authorization endpoint names these two in its description (JSON for non-browser requests).
  if (/unknown client/i.test(description)) {
    return `the server does not know client '${clientId}': register it on the server with \`keyturn client add --id ${clientId} --redirect-uri ${redirectUri} …\` or pass the right --client-id`;
  }
  if (/redirect uri/i.test(description)) {
    return `the server has no redirect URI '${redirectUri}' for client '${clientId}' (${description}): pass a registered one with --redirect-uri (\`keyturn client list\` on the server shows them)`;
  }
  switch (err.code) {
    case 'ERR_INVALID_NPSSO':
      return `the server refused the NPSSO token (expired, signed out or mistyped): ${again}`;
    case 'ERR_REFRESH_TOKEN_EXPIRED':
      return `the refresh token has expired: ${again}`;
    case 'ERR_RELOGIN_REQUIRED':
      return `the server no longer accepts the stored refresh token (${said(err)}): ${again}`;
    case 'ERR_INVALID_CLIENT':
      return `the server refused the credentials of client '${clientId}' (${said(err)}): pass the secret it was registered with (\`keyturn client add --id ${clientId}\`) as --client-secret or KEYTURN_CLIENT_SECRET, or the right --client-id`;
    case 'ERR_NETWORK':
      return `could not reach the server at ${origin} (${networkReason(err)}): check that it is running and that --server names it`;
    case 'ERR_TIMEOUT':
      return `${err.message}: check that the server at ${origin} is up and reachable, then run the command again`;
    case 'ERR_RATE_LIMITED':
      return `${err.message}: wait${err.retryAfter === undefined ? ' a minute' : ` ${err.retryAfter} s`} and run the command again`;
    case 'ERR_SERVER':
      return `${err.message}: the server at ${origin} failed, not this command; try again later or read the server's log`;
    case 'ERR_INVALID_RESPONSE':
      if (err.status === 400) {
        return `the server refused the sign-in request (HTTP 400): check that it knows client '${clientId}' with redirect URI '${redirectUri}' (\`keyturn client list\` on the server), or fix --client-id and --redirect-uri`;
      }
      return `${err.message}: check that --server names a Keyturn server (now ${origin})`;
    case 'ERR_OAUTH':
      if (err.error === 'invalid_scope') {
        return `the server refused the scopes "${scope}" (${said(err)}): ask with --scope only for scopes client '${clientId}' may use`;
      }
      return `the server refused the request (${said(err)}): check --client-id, --redirect-uri and --scope, then run the command again`;
    case 'ERR_PERSIST_FAILED':
      return `signed in, but the tokens could not be saved in ${ctx.home}: check that this folder is writable, then ${again}`;
    default: {
      // A code this CLI does not know yet (a newer client library).
      const other: KeyturnError = err;
      return `${other.message} (${other.code}): check the profile with \`keyturn status\`, or ${again}`;
    }
  }
}
