/** The folder the client-side commands keep their state in: the layout `openCliVault` reads. */
import { mkdir } from 'node:fs/promises';
import { cliVaultPaths } from '@keyturn/client';

/** `$KEYTURN_HOME`, else `$XDG_CONFIG_HOME/keyturn`, else `~/.config/keyturn`. */
export function keyturnHome(env: NodeJS.ProcessEnv = process.env): string {
  return cliVaultPaths({ env }).home;
}

/** Creates the home folder (0700) if needed. */
export async function ensureHome(home: string): Promise<void> {
  await mkdir(home, { recursive: true, mode: 0o700 });
}
