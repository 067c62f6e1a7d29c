/** psn-api's sentence for a failed NPSSO exchange: code written for psn-api matches on it, so our errors carry it too. */
import { isPlayStation, normalizeBaseUrl } from './options.js';

/** Word for word what psn-api's `exchangeNpssoForAccessCode` throws (its message, trimmed to one line). */
export const PSN_ACCESS_CODE_PROBLEM =
  'There was a problem retrieving your PSN access code. Is your NPSSO code valid? To get a new NPSSO code, visit https://ca.account.sony.com/api/v1/ssocookie.';

/**
 * Appends psn-api's sentence to an error of the NPSSO exchange and, for a server other than
 * PlayStation, where that server hands out an NPSSO. The error must be one just made: its
 * message (and the first line of its stack, which is what an uncaught error prints) is rewritten.
 */
export function withPsnApiSentence<E extends Error>(err: E, baseUrl: string | URL | undefined): E {
  const before = err.message;
  err.message = `${before}. ${PSN_ACCESS_CODE_PROBLEM}${otherServerHint(baseUrl)}`;
  if (err.stack?.includes(before)) err.stack = err.stack.replace(before, err.message);
  return err;
}

function otherServerHint(baseUrl: string | URL | undefined): string {
  if (baseUrl === undefined) return '';
  let normalized: string;
  try {
    normalized = normalizeBaseUrl(baseUrl);
  } catch {
    return '';
  }
  if (isPlayStation(normalized)) return '';
  const { origin } = new URL(normalized);
  return ` On ${origin}: sign in at ${origin}/signin, then visit ${origin}/api/v1/ssocookie.`;
}
