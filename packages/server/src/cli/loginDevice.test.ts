/**
 * `keyturn login --device` against a scripted device endpoint: what it shows, what it saves, and
 * one line for each way it can end (the real server: loginDevice.e2e.test.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openCliVault } from '@keyturn/client';
import { ENV } from '../test-support/cli.js';
import { startKeyturn } from '../test-support/cliChild.js';
import { freshKeyturnHome, runKeyturn } from '../test-support/cliInProcess.js';
import { deviceCodes, deviceTokens, fakeDeviceEndpoint, PENDING, type FakeDeviceOptions } from '../test-support/fakeDeviceEndpoint.js';

let home: string;

beforeEach(() => {
  const fresh = freshKeyturnHome('keyturn-device-');
  home = fresh.home;
  return fresh.remove;
});

const run = (args: string[]) => runKeyturn(...args);

/** `keyturn login --device` against a fake answering as `options` says; the fake is closed afterwards. */
async function loginAgainst(options: FakeDeviceOptions, ...more: string[]) {
  const fake = await fakeDeviceEndpoint(options);
  try {
    const result = await run(['login', '--device', '--server', fake.url, '--client-id', 'tv-app', ...more]);
    return { ...result, url: fake.url, polls: fake.polls() };
  } finally {
    await fake.close();
  }
}

async function nothingSaved(): Promise<void> {
  expect(existsSync(path.join(home, 'profiles.json'))).toBe(false);
  expect(await (await openCliVault({ home, env: {} })).load('default')).toBeNull();
}

describe('keyturn login --device', () => {
  it('shows the page, the code and a QR code, waits for approval, then saves the tokens and says who signed in', async () => {
    const r = await loginAgainst({ poll: (n) => (n < 2 ? PENDING : deviceTokens('ada@example.com')) });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.polls).toBe(2);
    expect(r.out).toContain(`    ${r.url}/device\n`);
    expect(r.out).toContain('and enter the code  WDJB-MJHT');
    expect(r.out).toContain(`Or open ${r.url}/device?user_code=WDJB-MJHT, or scan this QR code with your phone:`);
    expect(r.out).toMatch(/\n[█▀▄ ]{25,}\n/);
    expect(r.out).toMatch(/Waiting for approval until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(Ctrl-C to cancel\)…\n/);
    expect(r.out).toContain(`Signed in as ada@example.com (profile "default", ${r.url}).`);
    expect(r.out).not.toContain('\x1b['); // no countdown redraws into a pipe
    const stored = await (await openCliVault({ home, env: {} })).load('default');
    expect(stored).toMatchObject({ refreshToken: 'rt-fake-0123456789', scope: 'openid email', clientId: 'tv-app', tokenEndpoint: `${r.url}/api/authz/v3/oauth/token` });
    const profiles = JSON.parse(readFileSync(path.join(home, 'profiles.json'), 'utf8')) as Record<string, unknown>;
    expect(profiles.default).toMatchObject({ baseUrl: `${r.url}/api/authz/v3/oauth`, clientId: 'tv-app', scope: 'openid email' });
  });

  it('leaves the QR code out with --no-qr', async () => {
    const r = await loginAgainst({ poll: () => deviceTokens('ada@example.com') }, '--no-qr');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Or open ${r.url}/device?user_code=WDJB-MJHT\n`);
    expect(r.out).not.toMatch(/[█▀▄]/);
  });

  const failures: Array<[string, FakeDeviceOptions, RegExp]> = [
    ['a denial', { poll: () => [400, { error: 'access_denied' }] }, /^keyturn: the sign-in was denied on the device page, so nothing was saved: run keyturn login --device --server http:\/\/127\.0\.0\.1:\d+ --client-id tv-app to try again\n$/],
    ['an expired code', { poll: () => [400, { error: 'expired_token' }] }, /^keyturn: the code expired at \d{4}-\d\d-\d\dT[\d:]+Z before anyone approved it, so nothing was saved: run keyturn login --device .* and approve the new code in time\n$/],
    ['a reused device code', { poll: () => [400, { error: 'invalid_grant', error_description: 'device code already used' }] }, /^keyturn: the server no longer accepts this device code \(invalid_grant: device code already used\): run keyturn login --device .* for a new code\n$/],
    [
      'a client not allowed the grant',
      { authorization: () => [400, { error: 'unauthorized_client' }], poll: () => PENDING },
      /^keyturn: the server does not let client 'tv-app' use device sign-in \(unauthorized_client\): allow it on the server with `keyturn client add --id tv-app … --grant-types authorization_code,refresh_token,device_code`, or pass --client-id of a client that may\n$/,
    ],
    ['a server without device sign-in', { authorization: () => [404, {}], poll: () => PENDING }, /^keyturn: the server at http:\/\/127\.0\.0\.1:\d+ does not offer device sign-in \(HTTP 404 at .*\/api\/authz\/v3\/oauth\/device_authorization\): check --server, update the server, or sign in with keyturn login --npsso-stdin\n$/],
  ];
  for (const [what, options, message] of failures) {
    it(`ends ${what} with one line naming cause and fix, exit 1, nothing saved`, async () => {
      const r = await loginAgainst(options);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
      await nothingSaved();
    });
  }

  it('gives up without polling past the code\'s expiry', async () => {
    const r = await loginAgainst({ authorization: (url) => deviceCodes(url, { expires_in: 1 }), poll: () => PENDING });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^keyturn: the code expired at .* before anyone approved it/);
    expect(r.polls).toBe(0);
    await nothingSaved();
  });

  it('refuses PlayStation (no device sign-in there) and --npsso beside --device, with exit 2', async () => {
    const psn = await run(['login', '--device']);
    expect([psn.code, psn.err]).toEqual([2, 'keyturn: PlayStation offers no device sign-in: name a Keyturn server with --server (e.g. --server http://127.0.0.1:8080), or use keyturn login --npsso-stdin\n']);
    const both = await run(['login', '--device', '--npsso', 'n'.repeat(64), '--server', 'http://127.0.0.1:9']);
    expect(both.code).toBe(2);
    expect(both.err).toContain('--device and --npsso/--npsso-stdin exclude each other');
  });
});

describe('keyturn login --device, the real process', () => {
  it('stops on Ctrl-C with exit 130 and one line, saving nothing', async () => {
    const fake = await fakeDeviceEndpoint({ poll: () => PENDING });
    try {
      const login = startKeyturn(['login', '--device', '--server', fake.url, '--client-id', 'tv-app'], { ...ENV, KEYTURN_HOME: home });
      await login.waitFor(/Waiting for approval/);
      login.child.kill('SIGINT');
      expect(await login.exited).toBe(130);
      expect(login.stderr()).toBe('keyturn: sign-in cancelled (Ctrl-C), nothing was saved: run keyturn login --device again when you are ready\n');
      await nothingSaved();
    } finally {
      await fake.close();
    }
  });
});
