/** A code is worth no more than the sign-in that issued it: ending or outliving the SSO session makes its codes invalid_grant. */
import { describe, expect, it } from 'vitest';
import { SECOND } from '../test-support/clock.js';
import { aCode, refusal, useDomainContext } from '../test-support/domain.js';
import { signOutOtherBrowser } from './account.js';
import { sha256Hex } from './lib/crypto.js';
import { endSso, isSsoSessionLive } from './sso.js';
import { exchangeCode, grantIdForCode } from './tokens/exchangeCode.js';

const ENDED = refusal('invalid_grant', 'the sign-in that issued the authorization code has ended');

describe('the codes of an SSO session', () => {
  const t = useDomainContext({ config: { ssoTtlSec: 30 } });

  /** Asserts the code no longer exchanges and that trying, twice, left no grant behind. */
  async function worthless(issued: { code: string; redirectUri: string | undefined }): Promise<void> {
    const input = { code: issued.code, redirectUri: issued.redirectUri };
    await expect(exchangeCode(t.kt, t.client, input)).rejects.toMatchObject(ENDED);
    await expect(exchangeCode(t.kt, t.client, input)).rejects.toMatchObject(refusal('invalid_grant', 'the authorization code was already used'));
    expect(await t.kt.repo.getGrant(grantIdForCode(sha256Hex(issued.code)))).toBeNull();
  }

  it('refuses to exchange a code after its browser signed out, and stores no grant', async () => {
    const issued = await aCode(t.kt, t.client, t.person);
    const other = await aCode(t.kt, t.client, t.person);
    await endSso(t.kt, issued.npsso);
    await worthless(issued);
    // The same person's other browser is not touched.
    expect((await exchangeCode(t.kt, t.client, { code: other.code, redirectUri: other.redirectUri })).access_token).toMatch(/^ey/);
  });

  it('refuses to exchange a code after another browser signed its browser out', async () => {
    const issued = await aCode(t.kt, t.client, t.person);
    const asking = await aCode(t.kt, t.client, t.person);
    expect(await signOutOtherBrowser(t.kt, t.person.user.id, asking.sso.session.id, issued.sso.session.id)).not.toBeNull();
    await worthless(issued);
  });

  it('refuses to exchange a code whose SSO session expired before the code did', async () => {
    const issued = await aCode(t.kt, t.client, t.person);
    t.clock.advance(30 * SECOND);
    await worthless(issued);
  });

  it('counts a session live until its expiry and not after it is revoked, and a missing one never', async () => {
    const { sso } = await aCode(t.kt, t.client, t.person);
    expect(await isSsoSessionLive(t.kt, sso.session.id)).toBe(true);
    t.clock.advance(30 * SECOND - 1);
    expect(await isSsoSessionLive(t.kt, sso.session.id)).toBe(true);
    await t.kt.repo.revokeSsoSession(sso.session.id, t.kt.now());
    expect(await isSsoSessionLive(t.kt, sso.session.id)).toBe(false);
    expect(await isSsoSessionLive(t.kt, null)).toBe(false);
    expect(await isSsoSessionLive(t.kt, 'no-such-session')).toBe(false);
  });
});
