/** Accounts: creating a person who can sign in. */
import { randomUUID } from 'node:crypto';
import { DuplicateError } from '../storage/errors.js';
import type { UserRecord } from '../storage/records.js';
import type { Keyturn } from './context.js';
import { ManagementError } from './errors.js';
import { hashSecret } from './passwords.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Creates a user; refuses a malformed email, a short password, or an email already taken. */
export async function createUser(kt: Keyturn, input: { email: string; password: string; name?: string | null }): Promise<UserRecord> {
  const email = normaliseEmail(input.email);
  if (!EMAIL.test(email) || email.length > 254) throw new ManagementError('ERR_INVALID', `"${input.email}" is not an email address`);
  if (input.password.length < 8) throw new ManagementError('ERR_INVALID', 'the password must have at least 8 characters');
  if (input.password.length > 1024) throw new ManagementError('ERR_INVALID', 'the password is too long');
  const user: UserRecord = {
    id: randomUUID(),
    email,
    passwordHash: await hashSecret(kt, input.password),
    name: input.name ?? null,
    createdAt: kt.now(),
  };
  try {
    await kt.repo.createUser(user);
  } catch (err) {
    if (err instanceof DuplicateError) throw new ManagementError('ERR_DUPLICATE', `a user with email ${email} already exists`);
    throw err;
  }
  return user;
}
