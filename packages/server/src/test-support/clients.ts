/** The OAuth clients of the tests: a builder, the PlayStation app's registration, and client credentials. */
import type { TestServer } from './server.js';

/** The redirect URI of test clients that do not name theirs (nothing listens there). */
export const REDIRECT = 'http://127.0.0.1:9/callback';

/** The PlayStation app as the seeds register it (psn-api sends exactly these). */
export const PSN = {
  id: '09515159-7237-4370-9b40-3806e67c0891',
  secret: 'ucPjka5tntB2KqsP',
  redirectUri: 'com.scee.psxandroid.scecompcall://redirect',
  scope: 'psn:mobile.v2.core psn:clientapp',
} as const;

/** How a test authenticates as a client. */
export interface TestClient {
  id: string;
  /** `null` for a public client. */
  secret: string | null;
  /** The first registered redirect URI. */
  redirectUri: string;
  /** `Authorization` header for a confidential client; `undefined` for a public one. */
  auth: string | undefined;
  /** Form fields that identify the client (client_id for a public client). */
  form: Record<string, string>;
}

export interface ClientOptions {
  /** Default: a new `app<n>`. */
  id?: string;
  /** A public client (no secret; the server forces the rotate policy on it). */
  public?: boolean;
  /** Default: `<id>-secret-0123456789`. */
  secret?: string;
  /** The refresh policy; the server's default (reuse) when left out. */
  policy?: 'reuse' | 'rotate';
  /** Allowed scope; the server's default when left out. */
  scope?: string;
  /** Display name on the account page. */
  name?: string;
  /** Default: one, `redirectUri` or `REDIRECT`. */
  redirectUris?: string[];
  redirectUri?: string;
  refreshTtlSec?: number;
  refreshIdleTtlSec?: number;
  /** Grant type names (`device_code` for device sign-in); the server's default when left out. */
  grantTypes?: string[];
}

let made = 0;

/**
 * The HTTP Basic header for a client id and secret (form-encoded first, as RFC 6749 2.3.1 says).
 *
 * @example
 * ```ts
 * await tokenRequest(s, { grant_type: 'refresh_token', refresh_token }, basic('app', 'wrong-secret'));
 * ```
 */
export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** The credentials of a client that is (or is not) registered, to present as it. */
export function credentials(id: string, secret: string | null, redirectUri = REDIRECT): TestClient {
  return { id, secret, redirectUri, auth: secret === null ? undefined : basic(id, secret), form: secret === null ? { client_id: id } : {} };
}

/**
 * Registers a client on one server, or the same client on each of several servers, and
 * returns how to authenticate as it.
 *
 * @example
 * ```ts
 * const app = await aClient(s, { policy: 'rotate' });
 * const spa = await aClient(s, { public: true });
 * await refresh(s, app, tokens.refresh_token);
 * ```
 */
export async function aClient(on: TestServer | readonly TestServer[], options: ClientOptions = {}): Promise<TestClient> {
  const servers = Array.isArray(on) ? (on as readonly TestServer[]) : [on as TestServer];
  const id = options.id ?? `app${++made}`;
  const secret = options.public ? null : (options.secret ?? `${id}-secret-0123456789`);
  const redirectUris = options.redirectUris ?? [options.redirectUri ?? REDIRECT];
  await Promise.all(
    servers.map((s) =>
      s.addClient({
        id,
        ...(secret === null ? { public: true } : { secret }),
        redirectUris,
        scope: options.scope,
        refreshPolicy: options.policy,
        name: options.name,
        refreshTtlSec: options.refreshTtlSec,
        refreshIdleTtlSec: options.refreshIdleTtlSec,
        grantTypes: options.grantTypes,
      }),
    ),
  );
  return credentials(id, secret, redirectUris[0]);
}
