/**
 * The /device page over plain HTTP (RFC 8628 3.3): signing in first and coming back, what the
 * person is shown before deciding, Approve and Deny, CSRF, escaping, and the limit on wrong
 * codes per address and per SSO session.
 */
import { describe, expect, it } from 'vitest';
import { Browser, addresses } from '../test-support/browser.js';
import { aClient } from '../test-support/clients.js';
import { answerOnDevicePage, DEVICE_GRANTS, pollDevice, startDevice } from '../test-support/device.js';
import { csrfFrom, raw } from '../test-support/http.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

const MARKUP = '<script>alert(1)</script>"><b>';

describe('the /device page', () => {
  const address = addresses('127.0.6.', 10);
  const f = useServer({ config: { gcIntervalSec: 0 } }, async (s) => {
    const ada = await aPerson(s, { name: 'Ada' });
    return {
      ada,
      tv: await aClient(s, { grantTypes: DEVICE_GRANTS, name: 'Living Room TV', scope: 'openid email offline_access psn:mobile.v2.core', refreshTtlSec: 30 * 86_400 }),
      marked: await aClient(s, { grantTypes: DEVICE_GRANTS, name: MARKUP }),
    };
  });
  const signedIn = () => Browser.signedIn(f.s, f.ada, { from: address() });

  it('sends a visitor who is not signed in to the sign-in page, and back to /device with the code filled in', async () => {
    const { s, tv, ada } = f;
    const started = await startDevice(s, tv);
    const visitor = new Browser(s, { from: address() });
    const typed = started.user_code.replace('-', '').toLowerCase();
    const first = await visitor.get(`/device?user_code=${typed}`);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe(`/signin?return_to=${encodeURIComponent(`/device?user_code=${started.user_code}`)}`);
    const form = await visitor.get(first.headers.location!);
    const back = await visitor.post('/signin', { email: ada.email, password: ada.password, csrf: csrfFrom(form.body)!, return_to: `/device?user_code=${started.user_code}` });
    expect(back.headers.location).toBe(`/device?user_code=${started.user_code}`);
    const page = await visitor.get(back.headers.location!);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`name="user_code" type="text" class="code-input" value="${started.user_code}"`);
    expect(page.body).toContain('<button class="btn block" type="submit">Continue</button>');
  });

  it('sends a form posted without a session to sign in, keeping the code', async () => {
    const { s } = f;
    const res = await new Browser(s, { from: address() }).post('/device', { user_code: 'wdjb-mjht', csrf: 'x' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/signin?return_to=${encodeURIComponent('/device?user_code=WDJB-MJHT')}`);
  });

  it('shows which app asks for what, that it keeps access until revoked and until when, with Approve and Deny, deciding nothing yet', async () => {
    const { s, tv } = f;
    const started = await startDevice(s, tv);
    const browser = await signedIn();
    const csrf = await browser.csrf('/device');
    const consent = await browser.post('/device', { csrf, user_code: started.user_code.toLowerCase() });
    expect(consent.status).toBe(200);
    expect(consent.body).toContain('<h1>Allow <span class="app-name">Living Room TV</span> to use your account?</h1>');
    expect(consent.body).toContain(`<strong>${started.user_code}</strong>`);
    expect(consent.body).toContain(`<strong>Living Room TV</strong> <code>${tv.id}</code> asks to:`);
    expect(consent.body).toContain('<li><span>Know who you are</span> <code>openid</code></li>');
    expect(consent.body).toContain('<li><code>psn:mobile.v2.core</code></li>');
    expect(consent.body).toContain('It keeps this access until you revoke it on your <a href="/account">account page</a>.');
    expect(consent.body).toMatch(/You will have to sign it in again by <strong>\d{1,2} [A-Z][a-z]{2}( \d{4})?<\/strong>\./);
    expect(consent.body).toContain('<button class="btn" type="submit" name="action" value="approve">Approve</button>');
    expect(consent.body).toContain('<button class="btn secondary" type="submit" name="action" value="deny">Deny</button>');
    expect(consent.body).toContain(`Signed in to Keyturn as <strong>${f.ada.email}</strong>`);
    expect((await pollDevice(s, tv, started.device_code)).body.error).toBe('authorization_pending');
  });

  it('approves: the device gets its tokens, and the app is on the account page with the day to sign in again', async () => {
    const { s, tv } = f;
    const started = await startDevice(s, tv);
    const browser = await signedIn();
    const done = await answerOnDevicePage(browser, started.user_code, 'approve');
    expect(done.status).toBe(200);
    expect(done.body).toContain('<h1>Device signed in</h1>');
    expect(done.body).toContain('<strong>Living Room TV</strong> can now use your account. Go back to your device: it continues on its own.');
    expect((await pollDevice(s, tv, started.device_code)).status).toBe(200);
    const account = await browser.get('/account');
    expect(account.body).toContain('Living Room TV <span class="badge">Signed in from this browser</span>');
    expect(account.body).toMatch(/<p class="renew">Sign in again by <strong>\d{1,2} [A-Z][a-z]{2}( \d{4})?<\/strong><\/p>/);
  });

  it('denies: the device gets access_denied, and the page says nothing was shared', async () => {
    const { s, tv } = f;
    const started = await startDevice(s, tv);
    const done = await answerOnDevicePage(await signedIn(), started.user_code, 'deny');
    expect(done.body).toContain('<h1>Request denied</h1>');
    expect(done.body).toContain('<strong>Living Room TV</strong> was not signed in.');
    expect((await pollDevice(s, tv, started.device_code)).body.error).toBe('access_denied');
  });

  it('refuses a post without the CSRF token, or with an unknown action, and decides nothing', async () => {
    const { s, tv } = f;
    const started = await startDevice(s, tv);
    const browser = await signedIn();
    const forged = await browser.post('/device', { user_code: started.user_code, action: 'approve' });
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('This form expired. Please enter the code again.');
    const csrf = await browser.csrf('/device');
    const odd = await browser.post('/device', { csrf, user_code: started.user_code, action: 'maybe' });
    expect(odd.status).toBe(400);
    expect(odd.body).toContain('Choose Approve or Deny.');
    expect((await pollDevice(s, tv, started.device_code)).body.error).toBe('authorization_pending');
  });

  it('serves its pages with the CSP and framing rules of the sign-in page', async () => {
    const { s } = f;
    const signin = await raw(`${s.url}/signin`);
    const page = await (await signedIn()).get('/device');
    for (const header of ['content-security-policy', 'x-frame-options', 'cache-control', 'referrer-policy']) {
      expect({ header, value: page.headers[header] }).toEqual({ header, value: signin.headers[header] });
    }
    expect(page.body).not.toMatch(/<script|style=/i);
  });

  it('escapes an app name with markup, and a code typed back into the form', async () => {
    const { s, marked } = f;
    const started = await startDevice(s, marked);
    const browser = await signedIn();
    const csrf = await browser.csrf('/device');
    const consent = await browser.post('/device', { csrf, user_code: started.user_code });
    expect(consent.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62;&#34;&#62;&#60;b&#62;');
    const wrong = await browser.post('/device', { csrf, user_code: MARKUP });
    expect(wrong.status).toBe(400);
    for (const page of [consent, wrong]) expect(page.body).not.toMatch(/<script|"><b>/);
  });
});

describe('wrong codes on the /device page', () => {
  const address = addresses('127.0.7.', 10);
  const f = useServer({ config: { gcIntervalSec: 0 } }, async (s) => ({
    ada: await aPerson(s),
    bob: await aPerson(s),
    tv: await aClient(s, { grantTypes: DEVICE_GRANTS }),
  }));

  it('are told clearly; after 10 of them the address and the session get 429 with Retry-After, others still get in', async () => {
    const { s, ada, bob, tv } = f;
    const started = await startDevice(s, tv);
    const flooded = address();
    const guesser = await Browser.signedIn(s, ada, { from: flooded });
    const csrf = await guesser.csrf('/device');
    for (let i = 0; i < 10; i++) {
      const wrong = await guesser.post('/device', { csrf, user_code: `BCDF-GHJ${'BCDFGHJKLM'[i]}` });
      expect(wrong.status).toBe(400);
      expect(wrong.body).toContain('That code is not valid. Check the code your device shows: each code works once, for 10 minutes.');
    }
    const locked = await guesser.post('/device', { csrf, user_code: started.user_code });
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe('900');
    expect(locked.body).toContain('<div class="alert bad" role="alert">Too many wrong codes. Wait 15 minutes, then try again.</div>');

    // The same session from elsewhere, and someone else from the same address: refused too.
    const sameSession = new Browser(s, { from: address() });
    for (const [name, value] of guesser.jar) sameSession.jar.set(name, value);
    expect((await sameSession.post('/device', { csrf, user_code: started.user_code })).status).toBe(429);
    const neighbour = await Browser.signedIn(s, bob, { from: flooded });
    expect((await neighbour.post('/device', { csrf: await neighbour.csrf('/device'), user_code: started.user_code })).status).toBe(429);

    // Anyone else still gets in, and the request was never decided.
    const elsewhere = await Browser.signedIn(s, bob, { from: address() });
    expect((await answerOnDevicePage(elsewhere, started.user_code, 'approve')).status).toBe(200);
    expect((await pollDevice(s, tv, started.device_code)).status).toBe(200);
  });
});
