// Benchmark: AuthSession.getAccessToken() on a fresh token, against a bare Date.now() comparison
// in the same run. Runs on the built package (dist/): `npm run build` first.
// Usage: node bench/session.mjs [iterations]
import { AuthSession } from '../dist/index.js';

const N = Number(process.argv[2] ?? 2_000_000);

function rate(n, ms) {
  return (n / ms) * 1000;
}

function fmt(perSec) {
  return `${(perSec / 1e6).toFixed(2)} M calls/s`;
}

export async function run(n = N) {
  const now = Date.now();
  const session = new AuthSession({
    accessToken: 'header.payload.signature',
    expiresIn: 3600,
    idToken: 'id',
    refreshToken: 'refresh',
    refreshTokenExpiresIn: 60 * 86400,
    scope: 'psn:mobile.v2.core psn:clientapp',
    tokenType: 'bearer',
  });
  const expiresAt = now + 3_600_000 - 300_000;
  const token = 'header.payload.signature';

  // Warm-up, so both loops run optimized code.
  for (let i = 0; i < 100_000; i++) await session.getAccessToken();

  let sink = 0;
  let t = performance.now();
  for (let i = 0; i < n; i++) if (Date.now() < expiresAt) sink += token.length;
  const bareMs = performance.now() - t;

  t = performance.now();
  for (let i = 0; i < n; i++) sink += (await (Date.now() < expiresAt ? token : '')).length;
  const awaitedBareMs = performance.now() - t;

  t = performance.now();
  for (let i = 0; i < n; i++) sink += (await session.getAccessToken()).length;
  const sessionMs = performance.now() - t;

  const bare = rate(n, bareMs);
  const awaitedBare = rate(n, awaitedBareMs);
  const sess = rate(n, sessionMs);
  console.log(`getAccessToken() on a fresh token, ${n.toLocaleString('en')} calls (sink ${sink % 7})`);
  console.log(`  bare Date.now() comparison:          ${fmt(bare)}`);
  console.log(`  awaited Date.now() comparison:       ${fmt(awaitedBare)}`);
  console.log(`  await session.getAccessToken():      ${fmt(sess)}`);
  console.log(`  ratio: one getAccessToken() costs ${(bare / sess).toFixed(2)}x a bare comparison, ${(awaitedBare / sess).toFixed(2)}x an awaited one`);
  return { bare, awaitedBare, session: sess };
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
