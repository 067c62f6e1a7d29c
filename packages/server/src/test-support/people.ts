/** The people of the tests: one password for all of them, unique emails, and a builder. */
import type { TestServer } from './server.js';

/** The password of every test person who does not ask for another. */
export const PASSWORD = 'correct horse battery';

let made = 0;

/**
 * A new email address, unique in this test file: `<hint><n>@example.com`.
 *
 * @example
 * ```ts
 * uniqueEmail('ada'); // 'ada1@example.com'
 * ```
 */
export function uniqueEmail(hint = 'person'): string {
  const name = hint.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'person';
  return `${name}${++made}@example.com`;
}

export interface Person {
  id: string;
  email: string;
  password: string;
  name: string | null;
  /** Signs in through the form (of the first server the person was made on); returns the npsso. */
  signIn(): Promise<string>;
}

export interface PersonOptions {
  email?: string;
  password?: string;
  /** The display name; it also names the email when none is given. */
  name?: string;
}

/**
 * Creates a person on one server, or the same person on each of several servers (separate
 * databases that share Redis); signs in on the first.
 *
 * @example
 * ```ts
 * const ada = await aPerson(s, { name: 'Ada Lovelace' });
 * const npsso = await ada.signIn();
 * ```
 */
export async function aPerson(on: TestServer | readonly TestServer[], options: PersonOptions = {}): Promise<Person> {
  const servers = Array.isArray(on) ? (on as readonly TestServer[]) : [on as TestServer];
  const email = options.email ?? uniqueEmail(options.name?.split(' ')[0]);
  const password = options.password ?? PASSWORD;
  const [first] = await Promise.all(servers.map((s) => s.addUser(email, password, options.name)));
  return {
    id: first!.id,
    email,
    password,
    name: options.name ?? null,
    signIn: () => servers[0]!.signIn(email, password),
  };
}
