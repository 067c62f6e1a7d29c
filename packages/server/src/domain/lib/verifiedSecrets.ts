/**
 * Client secrets verified lately, one entry per client: argon2 then runs once per client and
 * secret rather than once per request. An entry holds a SHA-256 of the secret (never the
 * secret) and the stored hash it was checked against, so a changed secret misses at once.
 */
import { safeEqual, sha256Hex } from './crypto.js';

const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 10_000;

export class VerifiedSecrets {
  readonly #entries = new Map<string, { phc: string; digest: string; at: number }>();

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
}
