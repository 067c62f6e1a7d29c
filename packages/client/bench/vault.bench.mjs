// Vault throughput against raw node:crypto AES-256-GCM on the same payload, measured in one run.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createMemoryStore, createVault } from '../dist/index.js';

const ROUND_MS = Number(process.env.BENCH_MS ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const tokens = {
  accessToken: `eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.${randomBytes(300).toString('base64url')}.${randomBytes(256).toString('base64url')}`,
  accessTokenExpiresAt: '2026-11-21T10:00:00.000Z',
  refreshToken: randomBytes(48).toString('base64url'),
  refreshTokenExpiresAt: '2027-01-20T09:00:00.000Z',
  idToken: `eyJhbGciOiJSUzI1NiJ9.${randomBytes(200).toString('base64url')}.${randomBytes(256).toString('base64url')}`,
  scope: 'psn:mobile.v2.core psn:clientapp',
  tokenType: 'bearer',
  obtainedAt: '2026-11-21T09:00:00.000Z',
};

/** Runs `fn` (sync or async, always awaited) for ROUND_MS; returns ops/s. */
async function measure(fn) {
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ROUND_MS) {
    for (let i = 0; i < 50; i += 1) await fn();
    ops += 50;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

/** Best of ROUNDS for every case, the cases interleaved so background load hits them alike. */
async function bestOf(cases) {
  const best = Object.fromEntries(Object.keys(cases).map((name) => [name, 0]));
  for (const fn of Object.values(cases)) await measure(fn); // warm-up
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [name, fn] of Object.entries(cases)) best[name] = Math.max(best[name], await measure(fn));
  }
  return best;
}

export default async function run() {
  const key = randomBytes(32);
  const store = createMemoryStore();
  const vault = createVault({ store, keys: [{ id: 'k1', secret: key }] });
  await vault.save('alice', tokens);
  const blob = await store.get('alice');

  // Raw AES-256-GCM on the same JSON, with the same AAD, the floor the vault can reach.
  const json = JSON.stringify(tokens);
  const aad = Buffer.from('kt1.k1.alice');
  const rawEncrypt = () => {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(aad);
    return [nonce, Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]), cipher.getAuthTag()];
  };
  const [nonce, sealed, tag] = rawEncrypt();
  const rawDecrypt = () => {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
  };

  // vault.save also reads and decrypts the current entry (the newer-obtainedAt check), so the
  // pure encrypt path is measured through a store whose get answers null.
  const writeOnly = createVault({
    store: { ...store, get: async () => null, set: async () => {} },
    keys: [{ id: 'k1', secret: key }],
  });
  const decryptOnly = createVault({
    store: { ...store, get: async () => blob },
    keys: [{ id: 'k1', secret: key }],
  });

  const results = await bestOf({
    'raw aes-256-gcm encrypt': rawEncrypt,
    'vault encrypt (save, no prior entry)': () => writeOnly.save('alice', tokens),
    'raw aes-256-gcm decrypt': rawDecrypt,
    'vault decrypt (load + validate)': () => decryptOnly.load('alice'),
    'vault save (load+compare+encrypt+set)': () => vault.save('alice', tokens),
  });
  const payload = Buffer.byteLength(json);
  console.log(`payload ${payload} bytes of JSON, best of ${ROUNDS} x ${ROUND_MS} ms per case, node ${process.version}`);
  for (const [name, opsPerSec] of Object.entries(results)) {
    console.log(`${name.padEnd(40)} ${Math.round(opsPerSec).toLocaleString('en-US').padStart(12)} ops/s`);
  }
  const ratio = (a, b) => (results[a] / results[b]).toFixed(2);
  console.log(`encrypt: vault / raw = ${ratio('vault encrypt (save, no prior entry)', 'raw aes-256-gcm encrypt')}`);
  console.log(`decrypt: vault / raw = ${ratio('vault decrypt (load + validate)', 'raw aes-256-gcm decrypt')}`);
}
