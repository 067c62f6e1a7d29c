/** A failed `keyturn login --device` as one line: what happened, and what to do next. */
import { KeyturnError } from '@keyturn/client';
import { cliErrorFrom, type ErrorContext } from './cliErrorFrom.js';
import { CliError } from './errors.js';
import { isoSeconds } from './format.js';
import { deviceLoginCommand } from './signInHints.js';

/** Device sign-in's own failures; the rest as every client-side command says them. */
export function deviceLoginError(err: unknown, ctx: ErrorContext): unknown {
  if (!(err instanceof KeyturnError)) return cliErrorFrom(err, ctx);
  const again = deviceLoginCommand(ctx);
  const { clientId, baseUrl } = ctx.profile;
  switch (err.code) {
    case 'ERR_DEVICE_DENIED':
      return new CliError(`the sign-in was denied on the device page, so nothing was saved: run ${again} to try again`);
    case 'ERR_DEVICE_EXPIRED': {
      const at = 'expiresAt' in err && typeof err.expiresAt === 'string' ? ` at ${isoSeconds(Date.parse(err.expiresAt))}` : '';
      return new CliError(`the code expired${at} before anyone approved it, so nothing was saved: run ${again} and approve the new code in time`);
    }
  }
  if (err.error === 'unauthorized_client') {
    return new CliError(
      `the server does not let client '${clientId}' use device sign-in (unauthorized_client): allow it on the server with \`keyturn client add --id ${clientId} … --grant-types authorization_code,refresh_token,device_code\`, or pass --client-id of a client that may`,
    );
  }
  if (err.code === 'ERR_INVALID_RESPONSE' && (err.status === 404 || err.status === 405)) {
    return new CliError(
      `the server at ${new URL(baseUrl).origin} does not offer device sign-in (HTTP ${err.status} at ${baseUrl}/device_authorization): check --server, update the server, or sign in with keyturn login --npsso-stdin`,
    );
  }
  if (err.code === 'ERR_OAUTH' && err.error === 'invalid_grant') {
    return new CliError(`the server no longer accepts this device code (invalid_grant${err.error_description ? `: ${err.error_description}` : ''}): run ${again} for a new code`);
  }
  return cliErrorFrom(err, ctx);
}
