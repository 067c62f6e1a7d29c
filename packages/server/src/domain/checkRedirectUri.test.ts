/** RFC 9700 2.1 and 2.6: what a redirect URI may be when a client is registered (matching at authorize is exact; see e2e/authorize). */
import { describe, expect, it } from 'vitest';
import { checkRedirectUri } from './clients.js';

describe('checkRedirectUri', () => {
  it('accepts https, a custom scheme of a native app, and plain http on a loopback address only', () => {
    for (const uri of ['https://app.example/cb', 'com.scee.psxandroid.scecompcall://redirect', 'http://127.0.0.1:9/callback', 'http://[::1]:8080/cb', 'http://localhost:3000/cb']) {
      expect(() => checkRedirectUri(uri)).not.toThrow();
    }
  });

  it('refuses plain http off loopback: an authorization response never crosses the network unencrypted', () => {
    expect(() => checkRedirectUri('http://app.example/cb')).toThrow('redirect URI "http://app.example/cb" must use https (plain http only on loopback)');
    expect(() => checkRedirectUri('http://127.0.0.1.evil.example/cb')).toThrow(/must use https/);
  });

  it('refuses a fragment, a relative URI and script-bearing schemes', () => {
    expect(() => checkRedirectUri('https://app.example/cb#x')).toThrow('must not have a fragment');
    expect(() => checkRedirectUri('/cb')).toThrow('is not an absolute URI');
    for (const uri of ['javascript:alert(1)', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', 'blob:https://app.example/x']) {
      expect(() => checkRedirectUri(uri)).toThrow(/scheme .* is not allowed/);
    }
  });
});
