/** Rotating the signing key on the operator's word, as a security event. */
import type { SigningAlg } from '../config.js';
import type { SigningKeyRecord } from '../storage/records.js';
import type { Keyturn } from './context.js';

/**
 * Creates a new signing key and makes it the active one (the previous one stays published
 * until it can be pruned), and records a `key.rotated` event naming the new key.
 *
 * @example
 * ```ts
 * const key = await rotateSigningKey(kt, 'ES256');
 * console.log(`new active key ${key.kid}`);
 * ```
 */
export async function rotateSigningKey(kt: Keyturn, alg?: SigningAlg): Promise<SigningKeyRecord> {
  const previous = (await kt.repo.listSigningKeys()).find((k) => k.status === 'active')?.kid ?? null;
  const key = await kt.keys.rotate(alg);
  await kt.events.emit({ type: 'key.rotated', actor: 'operator', detail: `${key.kid} (${key.alg})`, data: { kid: key.kid, alg: key.alg, previous } });
  return key;
}
