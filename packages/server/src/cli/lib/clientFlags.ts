/** The flags every client-side command (`login`, `token`) takes to choose a server and a client. */
import type { Command } from 'commander';
import { OAUTH_PATH, PSN_CLIENT_ID, PSN_REDIRECT_URI, PSN_SCOPE } from '@keyturn/client';

/** Flags every client-side command takes. */
export interface ClientFlags {
  profile: string;
  server?: string;
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  scope?: string;
}

/** Adds --profile, --server and the client flags (PlayStation's values by default). */
export function clientOptions(cmd: Command): Command {
  return cmd
    .option('--profile <name>', 'name the tokens are stored under', 'default')
    .option('--server <origin>', `Keyturn server origin, e.g. http://127.0.0.1:8080 (paths ${OAUTH_PATH}/…); default PlayStation's`)
    .option('--client-id <id>', `OAuth client id (default PlayStation's ${PSN_CLIENT_ID})`)
    .option('--client-secret <secret>', 'client secret (omit for a public client; env KEYTURN_CLIENT_SECRET)')
    .option('--redirect-uri <uri>', `registered redirect URI (default ${PSN_REDIRECT_URI})`)
    .option('--scope <scope>', `scopes to ask for (default "${PSN_SCOPE}")`);
}
