/** The sign-in behind `AuthSession.fromDeviceLogin`: device code → person approves elsewhere → tokens bound to their server, saved when a vault is given. */
import { deviceAuthorizationRequest } from '../../exchange/deviceAuthorizationRequest.js';
import { processDeviceAuthorizationResponse } from '../../exchange/processDeviceAuthorizationResponse.js';
import { pollUntilApproved } from '../../lib/pollUntilApproved.js';
import type { StoredTokens } from '../../vault/types.js';
import { toStoredTokens } from '../toStoredTokens.js';
import type { FromDeviceLoginOptions } from '../types.js';
import { resolveSessionOptions } from './resolveSessionOptions.js';
import { saveSignIn } from './saveSignIn.js';

/**
 * Starts a device sign-in, hands the codes to `onUserCode` to show, polls until approved and
 * answers the stored tokens. An abort after approval still saves nothing.
 */
export async function signInWithDevice(options: FromDeviceLoginOptions): Promise<StoredTokens> {
  const { vault, name, now, lockOptions } = resolveSessionOptions(options);
  const authorization = await processDeviceAuthorizationResponse(await deviceAuthorizationRequest(options), { now });
  await options.onUserCode(authorization);
  const { tokens, sentAt } = await pollUntilApproved(authorization, { ...options, now });
  options.signal?.throwIfAborted();
  const stored = toStoredTokens(tokens, sentAt, options);
  if (vault) await saveSignIn(vault, name, stored, lockOptions);
  return stored;
}
