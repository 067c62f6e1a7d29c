/**
 * Client secrets verified lately, one entry per client: argon2 then runs once per client and
 * secret rather than once per request. An entry holds a SHA-256 of the secret (never the
 * secret) and the stored hash it was checked against, so a changed secret misses at once.
 * Verifications still running are shared the same way (single flight): right secrets that
 * arrive together cost one check, and only that one is counted towards the failure limit.
 */
import { safeEqual, sha256Hex } from './crypto.js';

const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 10_000;

/** A verification's outcome: right, wrong, or `null` when it was refused before checking (its address is locked). */
export type Verdict = boolean | null;

export class VerifiedSecrets {
  readonly #entries = new Map<string, { phc: string; digest: string; at: number }>();
  readonly #running = new Map<string, Promise<Verdict>>();

  constructor(private readonly now: () => number) {}

  /** True when `secret` was verified against `phc` for `clientId` within the last five minutes. */
  has(clientId: string, phc: string, secret: string): boolean {
    const entry = this.#entries.get(clientId);
    return entry !== undefined && entry.phc === phc && this.now() - entry.at < TTL_MS && safeEqual(entry.digest, sha256Hex(secret));
  }

  remember(clientId: string, phc: string, secret: string): void {
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(clientId, { phc, digest: sha256Hex(secret), at: this.now() });
  }

  /**
   * Joins the verification of `secret` against `phc` for `clientId` that is running now, or
   * starts `verify` as it (keyed by client, stored hash and SHA-256 of the secret). A right
   * verdict is remembered. `joined` tells a caller whose verdict is someone else's.
   *
   * @example
   * ```ts
   * const { verdict, joined } = kt.verifiedSecrets.verifyOnce(client.id, phc, secret, () => verifySecret(kt, phc, secret));
   * ```
   */
  verifyOnce(clientId: string, phc: string, secret: string, verify: () => Promise<Verdict>): { verdict: Promise<Verdict>; joined: boolean } {
    const key = `${clientId}\n${phc}\n${sha256Hex(secret)}`;
    const running = this.#running.get(key);
    if (running) return { verdict: running, joined: true };
    const verdict = verify()
      .then((ok) => {
        if (ok) this.remember(clientId, phc, secret);
        return ok;
      })
      .finally(() => this.#running.delete(key));
    this.#running.set(key, verdict);
    return { verdict, joined: false };
  }
}
