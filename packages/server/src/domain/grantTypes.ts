/**
 * Which grants a client may use: the names `keyturn client add --grant-types` accepts (short or
 * the full URN), the default, and the token endpoint's check (RFC 6749 5.2 `unauthorized_client`).
 */
import type { ClientRecord, GrantType } from '../storage/records.js';
import { ManagementError, OAuthError } from './errors.js';

/** RFC 8628's grant type, by its full name. */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code' satisfies GrantType;

/** Every grant type the server knows, by full name, in the order they are listed. */
export const GRANT_TYPES: readonly GrantType[] = ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT];

/** What a client registered without `--grant-types` may use: what every client could before device sign-in. */
export const DEFAULT_GRANT_TYPES: readonly GrantType[] = ['authorization_code', 'refresh_token'];

const SHORT: Record<string, GrantType> = { device_code: DEVICE_CODE_GRANT };

/**
 * The grant types named in `names` (short names such as `device_code`, or full names), without
 * repeats, in the server's order. Throws `ManagementError` (`ERR_INVALID`) for an unknown name,
 * an empty list, or a list with nothing that starts a grant (`refresh_token` alone).
 *
 * @example
 * ```ts
 * parseGrantTypes('authorization_code,refresh_token,device_code'.split(','));
 * // ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code']
 * ```
 */
export function parseGrantTypes(names: readonly string[]): GrantType[] {
  const wanted = new Set<GrantType>();
  for (const raw of names) {
    const name = raw.trim();
    if (name === '') continue;
    const full = SHORT[name] ?? GRANT_TYPES.find((g) => g === name);
    if (!full) throw new ManagementError('ERR_INVALID', `unknown grant type "${name}": use ${GRANT_TYPES.map(shortGrantType).join(', ')} (or the full URN)`);
    wanted.add(full);
  }
  if (wanted.size === 0) throw new ManagementError('ERR_INVALID', 'name at least one grant type');
  if (!wanted.has('authorization_code') && !wanted.has(DEVICE_CODE_GRANT)) {
    throw new ManagementError('ERR_INVALID', 'refresh_token alone cannot start a sign-in: add authorization_code or device_code');
  }
  return GRANT_TYPES.filter((g) => wanted.has(g));
}

/**
 * The short name of a grant type, as `client list` shows it.
 *
 * @example
 * ```ts
 * shortGrantType('urn:ietf:params:oauth:grant-type:device_code'); // 'device_code'
 * ```
 */
export function shortGrantType(grantType: GrantType): string {
  return grantType === DEVICE_CODE_GRANT ? 'device_code' : grantType;
}

/**
 * True when `client` may use `grantType`.
 *
 * @example
 * ```ts
 * const offline = wantsOffline && allowsGrant(client, 'refresh_token');
 * ```
 */
export function allowsGrant(client: ClientRecord, grantType: GrantType): boolean {
  return client.grantTypes.includes(grantType);
}

/**
 * Refuses, with `unauthorized_client`, a grant the client was not registered for.
 *
 * @example
 * ```ts
 * requireGrant(client, 'authorization_code'); // throws OAuthError('unauthorized_client', …) for a device-only client
 * ```
 */
export function requireGrant(client: ClientRecord, grantType: GrantType): void {
  if (!allowsGrant(client, grantType)) {
    throw new OAuthError('unauthorized_client', `this client may not use the ${shortGrantType(grantType)} grant (keyturn client add --grant-types)`);
  }
}
