/**
 * Sign-in with email and password, ending in a new SSO session (the `npsso` cookie).
 * Attempts are counted per account and per address before the password is checked (a
 * success takes its hit back): past `loginSlowAfter` answers are slowed, past
 * `loginLockAfter` refused until the window passes.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Keyturn } from './context.js';
import { SignInError } from './errors.js';
import { countAttempt } from './throttle.js';
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
  input: { email: string; password: string; address: string; userAgent?: string | null },
): Promise<SignInResult> {
  const { loginSlowAfter, loginLockAfter, loginWindowSec } = kt.config;
  const email = normaliseEmail(input.email);
  const keys = [`acct:${sha256Hex(email)}`, `addr:${input.address}`];
  const attempts = await countAttempt(kt.attempts, keys, loginLockAfter, loginWindowSec * 1000);
  const seen = { email, address: input.address };
  if (attempts === null) {
    kt.events.emit({ type: 'sign_in_failed', ...seen, outcome: 'locked' });
    throw new SignInError('ERR_TOO_MANY_ATTEMPTS', loginWindowSec);
  }

  // A NUL can be in no stored email, and PostgreSQL refuses it in a query.
  const user = email.length > 0 && !email.includes('\0') ? await kt.repo.findUserByEmail(email) : null;
  const ok = user ? await verifySecret(user.passwordHash, input.password) : (await verifyAgainstDummy(input.password), false);
  if (!ok || !user) {
    kt.events.emit({ type: 'sign_in_failed', ...seen, userId: user?.id, outcome: 'invalid_credentials' });
    // The failure that reaches the limit locks the account or address: announced once, not per refusal.
    if (attempts === loginLockAfter) kt.events.emit({ type: 'lockout', ...seen, userId: user?.id, detail: { windowSec: loginWindowSec } });
    if (attempts >= loginSlowAfter) {
      // Slow down guessing: 250 ms, doubling, capped at 4 s.
      await sleep(Math.min(250 * 2 ** (attempts - loginSlowAfter), 4000));
    }
    throw new SignInError('ERR_INVALID_CREDENTIALS');
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
  kt.events.emit({ type: 'sign_in_ok', ...seen, userId: user.id });
  return { npsso, userId: user.id, expiresAt };
}
