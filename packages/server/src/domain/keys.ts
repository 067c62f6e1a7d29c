/**
 * Signing keys: created on first start, kept encrypted with the server secret, published as
 * a JWKS. One key is active (signs); retired keys stay published until every token they
 * signed has expired, so tokens issued before a rotation still verify.
 */
import { createPrivateKey, randomUUID, type JsonWebKey, type KeyObject } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { SigningAlg } from '../config.js';
import type { SigningKeyRecord } from '../storage/records.js';
import type { Repository } from '../storage/repository.js';
import { KeyError } from './errors.js';
import type { SecurityEvents } from './securityEvents.js';
import { open, seal } from './secrets.js';

export interface ActiveKey {
  kid: string;
  alg: SigningAlg;
  /** A node:crypto key, so that tokens are signed on the thread pool (`./lib/signJws.ts`). */
  privateKey: KeyObject;
}

export interface PublicJwk extends JWK {
  kid: string;
  alg: SigningAlg;
  use: 'sig';
}

/** How long a running server trusts its cached view of the keys before re-reading the store (default). */
const RELOAD_MS = 30_000;
/** Least time between two re-reads forced by tokens naming an unknown key. */
const FORCED_RELOAD_MIN_MS = 1_000;
/** After creating the first key, when to re-read the store once more (see ensureActiveKey). */
const FIRST_START_SETTLE_MS = 2_000;

export class KeyRing {
  private cache: { loadedAt: number; active: ActiveKey | null; publics: PublicJwk[] } | null = null;
  private pending: Promise<void> | null = null;
  /** Monotonic time (performance.now) of the last re-read forced by an unknown kid. */
  private lastForcedReload = -Infinity;
  /** The kid this process last saw active, and the kids it made active itself (not news to announce). */
  private seenActiveKid: string | null = null;
  private readonly ownKids = new Set<string>();
  /** Until when (performance.now) a change of active key is the first-start race settling, not a rotation. */
  private settlingUntil = -Infinity;

  constructor(
    private readonly repo: Repository,
    private readonly encryptionKey: Buffer,
    private readonly defaultAlg: SigningAlg,
    private readonly now: () => number,
    /** Cache lifetime; a rotation made by another process is picked up within it (config.keyCacheSec). */
    private readonly cacheMs: number = RELOAD_MS,
    /** Told `signing_key.changed` when this process notices another's rotation (its own are `key.rotated`, by `rotateSigningKey`). */
    private readonly events?: SecurityEvents,
  ) {}

  /**
   * Makes sure an active key exists (first start). Several processes may start at once on an
   * empty store: each stores its new key as retired first and activates it only if
   * no other process has activated one meanwhile (generating an RSA key takes long enough for
   * both to get past the first check). Should two still activate within the same few
   * milliseconds, the database keeps the later one; the earlier process re-reads the keys
   * shortly after, instead of publishing a JWKS without the active key for `keyCacheSec`.
   */
  async ensureActiveKey(): Promise<void> {
    const keys = await this.repo.listSigningKeys();
    if (!keys.some((k) => k.status === 'active')) {
      const record = await this.insertNew(this.defaultAlg);
      if ((await this.repo.listSigningKeys()).some((k) => k.status === 'active')) {
        await this.repo.deleteSigningKey(record.kid);
      } else {
        await this.repo.activateSigningKey(record.kid, this.now());
        this.settlingUntil = performance.now() + 2 * FIRST_START_SETTLE_MS;
        setTimeout(() => void this.reload().catch(() => undefined), FIRST_START_SETTLE_MS).unref();
      }
    }
    await this.reload();
  }

  /** Creates a key and makes it the active one; the previous one is retired, still published. */
  async rotate(alg: SigningAlg = this.defaultAlg): Promise<SigningKeyRecord> {
    const record = await this.create(alg);
    this.ownKids.add(record.kid);
    await this.reload();
    return record;
  }

  /** The kid of the active key this process has loaded (no I/O), or null when none is loaded. */
  loadedActiveKid(): string | null {
    return this.cache?.active?.kid ?? null;
  }

  /**
   * Drops retired keys that cannot have signed a still-valid token: retired longer ago than
   * `maxTokenLifetimeSec`. Returns the kids removed.
   */
  async prune(maxTokenLifetimeSec: number): Promise<string[]> {
    const cutoff = this.now() - maxTokenLifetimeSec * 1000;
    const removed: string[] = [];
    for (const key of await this.repo.listSigningKeys()) {
      if (key.status === 'retired' && key.retiredAt !== null && key.retiredAt <= cutoff) {
        if (await this.repo.deleteSigningKey(key.kid)) removed.push(key.kid);
      }
    }
    if (removed.length > 0) await this.reload();
    return removed;
  }

  async list(): Promise<SigningKeyRecord[]> {
    return this.repo.listSigningKeys();
  }

  async activeKey(): Promise<ActiveKey> {
    const state = await this.state();
    if (!state.active) {
      await this.ensureActiveKey();
      const again = await this.state();
      if (!again.active) throw new KeyError('ERR_NO_SIGNING_KEY', 'no active signing key');
      return again.active;
    }
    return state.active;
  }

  /**
   * The public keys to publish (active and retired). With `kid` (a token being verified): when
   * no cached key has it, re-read the store first, since another process may have just rotated
   * to it. Such forced re-reads happen at most once a second, so tokens with made-up kids
   * cannot turn every request into a database read.
   */
  async publicJwks(kid?: string): Promise<PublicJwk[]> {
    const publics = (await this.state()).publics;
    if (kid === undefined || publics.some((k) => k.kid === kid)) return publics;
    const now = performance.now();
    if (now - this.lastForcedReload < FORCED_RELOAD_MIN_MS) return publics;
    this.lastForcedReload = now;
    await this.reload();
    return (await this.state()).publics;
  }

  /** Algorithms of the published keys: the only ones a verifier accepts. */
  async algorithms(): Promise<SigningAlg[]> {
    return [...new Set((await this.state()).publics.map((k) => k.alg))];
  }

  /** Forces the next call to re-read the store (after a rotation in another process). */
  async reload(): Promise<void> {
    this.cache = null;
    await this.state();
  }

  private async state() {
    if (this.cache && this.now() - this.cache.loadedAt < this.cacheMs) return this.cache;
    this.pending ??= this.load().finally(() => {
      this.pending = null;
    });
    await this.pending;
    if (!this.cache) throw new KeyError('ERR_NO_SIGNING_KEY', 'signing keys could not be loaded');
    return this.cache;
  }

  private async load(): Promise<void> {
    const records = await this.repo.listSigningKeys();
    let active: ActiveKey | null = null;
    const publics: PublicJwk[] = [];
    for (const record of records) {
      publics.push({ ...(JSON.parse(record.publicJwk) as JWK), kid: record.kid, alg: record.alg, use: 'sig' });
      if (record.status === 'active') {
        const jwk = JSON.parse(open(this.encryptionKey, record.privateKeyEnc, record.kid)) as JsonWebKey;
        active = { kid: record.kid, alg: record.alg, privateKey: createPrivateKey({ key: jwk, format: 'jwk' }) };
      }
    }
    this.cache = { loadedAt: this.now(), active, publics };
    await this.noticeActive(active?.kid ?? null);
  }

  /** Announces a new active key made by another process (ours are announced by `rotateSigningKey`). */
  private async noticeActive(kid: string | null): Promise<void> {
    const previous = this.seenActiveKid;
    if (kid === null || kid === previous) return;
    this.seenActiveKid = kid;
    if (previous !== null && !this.ownKids.has(kid) && performance.now() > this.settlingUntil) await this.events?.emit({ type: 'signing_key.changed', data: { kid, previous } });
  }

  private async create(alg: SigningAlg): Promise<SigningKeyRecord> {
    const record = await this.insertNew(alg);
    await this.repo.activateSigningKey(record.kid, record.createdAt);
    return { ...record, status: 'active', retiredAt: null };
  }

  /** Generates a key and stores it, sealed, as retired (not yet signing). */
  private async insertNew(alg: SigningAlg): Promise<SigningKeyRecord> {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
    const kid = randomUUID();
    const publicJwk = await exportJWK(publicKey);
    const privateJwk = await exportJWK(privateKey);
    const now = this.now();
    const record: SigningKeyRecord = {
      kid,
      alg,
      privateKeyEnc: seal(this.encryptionKey, JSON.stringify(privateJwk), kid),
      publicJwk: JSON.stringify(publicJwk),
      createdAt: now,
      status: 'retired',
      retiredAt: now,
    };
    await this.repo.insertSigningKey(record);
    return record;
  }
}
