// getAccessToken() calls/s on a fresh token, against a bare Date.now() comparison measured in the
// same run, printed as a ratio. Imports the built package (dist/). Run: npm run bench -w @keyturn/client
import { AuthSession } from '../dist/index.js';

const ROUNDS = 5;
const N = Number(process.env.BENCH_SESSION_CALLS ?? 1_000_000);

/** Best of ROUNDS (the least disturbed by GC and JIT tiers), in calls/s. */
async function best(loop) {
  let bestMs = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    await loop(N);
    bestMs = Math.min(bestMs, performance.now() - t);
  }
  return (N / bestMs) * 1000;
}

export default async function run() {
  const session = new AuthSession({
    accessToken: 'header.payload.signature',
    expiresIn: 3600,
    idToken: 'id',
    refreshToken: 'refresh',
    refreshTokenExpiresIn: 60 * 86400,
    scope: 'psn:mobile.v2.core psn:clientapp',
    tokenType: 'bearer',
  });
  const token = 'header.payload.signature';
  const refreshAt = Date.now() + 3_300_000;
  let sink = 0;

  const bareLoop = async (n) => {
    for (let i = 0; i < n; i++) if (Date.now() < refreshAt) sink += token.length;
  };
  const awaitedLoop = async (n) => {
    for (let i = 0; i < n; i++) sink += (await (Date.now() < refreshAt ? token : '')).length;
  };
  const sessionLoop = async (n) => {
    for (let i = 0; i < n; i++) sink += (await session.getAccessToken()).length;
  };
  // Warm-up, so every loop runs optimized code before it is measured.
  for (const loop of [bareLoop, awaitedLoop, sessionLoop]) await loop(200_000);

  const bare = await best(bareLoop);
  const awaited = await best(awaitedLoop);
  const sess = await best(sessionLoop);
  const m = (x) => `${(x / 1e6).toFixed(2)} M calls/s`;
  console.log(`getAccessToken() on a fresh token: best of ${ROUNDS} x ${N.toLocaleString('en')} calls (sink ${sink % 7})`);
  console.log(`  bare Date.now() comparison         ${m(bare)}`);
  console.log(`  awaited Date.now() comparison      ${m(awaited)}`);
  console.log(`  await session.getAccessToken()     ${m(sess)}`);
  console.log(`  ratio bare / getAccessToken()      ${(bare / sess).toFixed(2)}  (awaited / getAccessToken(): ${(awaited / sess).toFixed(2)})`);
  return { bare, awaited, session: sess };
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
