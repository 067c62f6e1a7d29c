/**
 * Sign-in with email and password, ending in a new SSO session (the `npsso` cookie).
 * Attempts are counted per account and per address (IPv6 per network, see `addressKey`)
 * before the password is checked (a success takes its hit back): past `loginSlowAfter`
 * answers are slowed, past `loginLockAfter` refused until the window passes.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Keyturn } from './context.js';
import { SignInError } from './errors.js';
import { countAttempt } from './throttle.js';
import { addressKey } from './lib/addressKey.js';
import { randomToken, sha256Hex } from './lib/crypto.js';
import { verifyAgainstDummy, verifySecret } from './passwords.js';
import { normaliseEmail } from './users.js';

export interface SignInResult {
  /** The raw npsso value: 64 characters; only its hash is stored. */
  npsso: string;
  userId: string;
  expiresAt: number;
}

/** 48 random bytes are 64 base64url characters: the NPSSO length PlayStation uses. */
export function newNpsso(): string {
  return randomToken(48);
}

export async function signIn(
  kt: Keyturn,
  input: { email: string; password: string; address: string | undefined; userAgent?: string | null },
): Promise<SignInResult> {
  const { loginSlowAfter, loginLockAfter, loginWindowSec } = kt.config;
  const email = normaliseEmail(input.email);
  const keys = [`acct:${sha256Hex(email)}`, `addr:${addressKey(input.address, kt.config.ipv6Prefix)}`];
  const attempts = await countAttempt(kt.attempts, keys, loginLockAfter, loginWindowSec * 1000);
  // Attempts refused while locked are not recorded one by one: a flood must not fill the audit trail.
  if (attempts === null) {
    await kt.events.emit({ type: 'signin.refused', email, address: input.address, outcome: 'locked' });
    throw new SignInError('ERR_TOO_MANY_ATTEMPTS', loginWindowSec);
  }

  // A NUL can be in no stored email, and PostgreSQL refuses it in a query.
  const user = email.length > 0 && !email.includes('\0') ? await kt.repo.findUserByEmail(email) : null;
  let ok: boolean;
  try {
    ok = user ? await verifySecret(kt, user.passwordHash, input.password) : (await verifyAgainstDummy(kt, input.password), false);
  } catch (err) {
    // The password was never checked (the argon2 queue was full): not a failure to count.
    await Promise.all(keys.map((key) => kt.attempts.undo(key)));
    throw err;
  }
  const seen = { userId: user?.id ?? null, email, address: input.address, actor: 'person' } as const;
  if (!ok || !user) {
    await kt.events.emit({ ...seen, type: 'signin.failed', outcome: 'invalid_credentials', detail: user ? 'wrong password' : 'no such account' });
    if (attempts >= loginLockAfter) await kt.events.emit({ ...seen, type: 'signin.locked', detail: `${attempts} failed attempts; locked for ${loginWindowSec} s`, data: { windowSec: loginWindowSec } });
    if (attempts >= loginSlowAfter) {
      // Slow down guessing: 250 ms, doubling, capped at 4 s.
      await sleep(Math.min(250 * 2 ** (attempts - loginSlowAfter), 4000));
    }
    throw new SignInError('ERR_INVALID_CREDENTIALS');
  }
  if (user.status !== 'active') {
    await kt.events.emit({ ...seen, type: 'signin.disabled' });
    throw new SignInError('ERR_ACCOUNT_DISABLED');
  }
  await Promise.all([kt.attempts.reset(keys[0]!), kt.attempts.undo(keys[1]!)]);

  const npsso = newNpsso();
  const now = kt.now();
  const expiresAt = now + kt.config.ssoTtlSec * 1000;
  await kt.repo.createSsoSession({
    id: randomUUID(),
    tokenHash: sha256Hex(npsso),
    userId: user.id,
    authTime: now,
    createdAt: now,
    expiresAt,
    revokedAt: null,
    userAgent: input.userAgent?.slice(0, 256) ?? null,
  });
  await kt.events.emit({ ...seen, type: 'signin.succeeded' });
  return { npsso, userId: user.id, expiresAt };
}
