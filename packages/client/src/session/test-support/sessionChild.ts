/**
 * Run as a separate process (`vite-node sessionChild.ts <json>`): opens its own store and vault
 * from the spec, loads the session saved under "bot", prints "ready", waits for a line on
 * stdin, then makes `callers` concurrent getAccessToken() calls with its clock moved by
 * `clockOffsetMs`, and prints one JSON line: how many token requests this process sent, and
 * the access token its callers got.
 */
import { createVault } from '../../vault/createVault.js';
import { openSpec, type StoreSpec } from '../../stores/test-support/backends.js';
import { AuthSession } from '../authSession.js';
import type { ExchangeOptions } from '../../exchange/types.js';

export interface SessionChildInput {
  spec: StoreSpec;
  vaultSecret: string;
  options: ExchangeOptions;
  clockOffsetMs: number;
  callers: number;
}

export interface SessionChildOutput {
  tokenRequests: number;
  accessTokens: string[];
}

const input = JSON.parse(process.argv[2] ?? 'null') as SessionChildInput | null;
if (!input) throw new Error('usage: sessionChild <input-json>');
const store = await openSpec(input.spec);
let tokenRequests = 0;
const countingFetch = (async (url: string | URL | Request, init?: RequestInit) => {
  if (String(url).endsWith('/token')) tokenRequests += 1;
  return fetch(url, init);
}) as typeof fetch;
const vault = createVault({ store, keys: [{ id: 'k1', secret: input.vaultSecret }] });
const session = await AuthSession.fromVault(vault, 'bot', {
  ...input.options,
  fetch: countingFetch,
  now: () => Date.now() + input.clockOffsetMs,
  lockOptions: { waitMs: 20_000 },
});
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
try {
  const accessTokens = await Promise.all(Array.from({ length: input.callers }, () => session.getAccessToken()));
  const output: SessionChildOutput = { tokenRequests, accessTokens: [...new Set(accessTokens)] };
  process.stdout.write(`${JSON.stringify(output)}\n`);
} finally {
  await store.close();
}
process.exit(0);
