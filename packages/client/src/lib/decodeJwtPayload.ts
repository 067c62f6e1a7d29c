/** Reads a JWT's claims WITHOUT verifying it: for display and expiry hints only, never for trust. */

/**
 * The payload of a compact JWT, or `undefined` when the string is not one.
 *
 * @example
 * ```ts
 * const sub = decodeJwtPayload(tokens.idToken)?.sub; // display only: not verified
 * ```
 */
export function decodeJwtPayload(token: string | undefined): Record<string, unknown> | undefined {
  if (!token) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const json: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
