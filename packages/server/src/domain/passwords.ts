/** Password and client-secret hashing with argon2id at OWASP's recommended parameters. */
import { hash, verify } from '@node-rs/argon2';

// OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1.
const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashSecret(secret: string): Promise<string> {
  return hash(secret, OPTIONS);
}

export async function verifySecret(phc: string, secret: string): Promise<boolean> {
  try {
    return await verify(phc, secret);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** Spends the same time as a real verification, so an unknown email takes as long as a wrong password. */
export async function verifyAgainstDummy(secret: string): Promise<void> {
  dummy ??= hashSecret('keyturn-dummy-password');
  await verifySecret(await dummy, secret);
}
