/**
 * Table types for kysely: one interface per table, snake_case columns, the same for
 * SQLite and PostgreSQL. Times are epoch milliseconds in `bigint` columns (read back
 * as JS numbers), booleans are integers 0/1, string arrays are JSON text.
 */

/** A row of `users`. */
export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  name: string | null;
  created_at: number;
}

/** A row of `clients`. `redirect_uris`, `scopes` and `grant_types` are JSON arrays of strings. */
export interface ClientsTable {
  id: string;
  name: string | null;
  secret_hash: string | null;
  redirect_uris: string;
  scopes: string;
  refresh_policy: string;
  refresh_ttl_sec: number | null;
  refresh_idle_ttl_sec: number | null;
  created_at: number;
  grant_types: string;
}

/** A row of `sso_sessions`. */
export interface SsoSessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  auth_time: number;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  user_agent: string | null;
}

/** A row of `auth_codes`. `offline` is 0 or 1. */
export interface AuthCodesTable {
  code_hash: string;
  client_id: string;
  user_id: string;
  sso_session_id: string | null;
  redirect_uri: string;
  /** 1 when the authorization request carried redirect_uri (the token request must repeat it). */
  redirect_uri_given: number;
  scope: string;
  nonce: string | null;
  code_challenge: string | null;
  code_challenge_method: string | null;
  offline: number;
  auth_time: number;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
  grant_id: string | null;
}

/** A row of `grants`. */
export interface GrantsTable {
  id: string;
  client_id: string;
  user_id: string;
  sso_session_id: string | null;
  scope: string;
  auth_time: number;
  created_at: number;
  expires_at: number;
  last_used_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
  user_agent: string | null;
}

/** A row of `refresh_tokens`. */
export interface RefreshTokensTable {
  token_hash: string;
  grant_id: string;
  parent_hash: string | null;
  created_at: number;
  expires_at: number;
  spent_at: number | null;
  successor_hash: string | null;
}

/** A row of `revoked_access_tokens`. */
export interface RevokedAccessTokensTable {
  jti: string;
  expires_at: number;
}

/** A row of `signing_keys`. */
export interface SigningKeysTable {
  kid: string;
  alg: string;
  private_key_enc: string;
  public_jwk: string;
  created_at: number;
  status: string;
  retired_at: number | null;
}

/**
 * The whole database as kysely sees it.
 *
 * @example
 * ```ts
 * const db = new Kysely<Database>({ dialect });
 * const user = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
 * ```
 */
export interface Database {
  users: UsersTable;
  clients: ClientsTable;
  sso_sessions: SsoSessionsTable;
  auth_codes: AuthCodesTable;
  grants: GrantsTable;
  refresh_tokens: RefreshTokensTable;
  revoked_access_tokens: RevokedAccessTokensTable;
  signing_keys: SigningKeysTable;
  device_codes: DeviceCodesTable;
}

/** A row of `device_codes` (RFC 8628 device authorization requests). */
export interface DeviceCodesTable {
  device_code_hash: string;
  user_code_hash: string;
  client_id: string;
  scope: string;
  status: string;
  interval_sec: number;
  last_polled_at: number | null;
  user_id: string | null;
  sso_session_id: string | null;
  auth_time: number | null;
  decided_at: number | null;
  created_at: number;
  expires_at: number;
  user_agent: string | null;
}
