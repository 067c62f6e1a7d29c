/**
 * An in-memory token endpoint behind a fake `fetch`, with PlayStation's paths, both refresh
 * policies and the rotation retry window: session tests without a network.
 */
import { fakeFetch, json } from './fakeFetch.js';

export interface FakeTokenServerOptions {
  policy?: 'reuse' | 'rotate';
  /** The server's clock (the tests freeze it together with the session's). */
  now: () => number;
  accessTtlSec?: number;
  refreshTtlSec?: number;
  /** A spent rotated token repeated within this many seconds gets the same successor. */
  retryWindowSec?: number;
  /** Delay each token answer until this promise settles (slow-refresh tests). */
  gate?: () => Promise<void>;
}

interface RefreshRecord {
  expiresAt: number;
  revoked: boolean;
  /** Rotation: the successor issued, and when this token was spent. */
  successor?: { token: string; spentAt: number; answer: Record<string, unknown> };
}

export function fakeTokenServer(opts: FakeTokenServerOptions) {
  const policy = opts.policy ?? 'reuse';
  const accessTtl = opts.accessTtlSec ?? 3600;
  const refreshTtl = opts.refreshTtlSec ?? 60 * 86400;
  const refreshTokens = new Map<string, RefreshRecord>();
  let counter = 0;
  const stats = { tokenRequests: 0, refreshRequests: 0, authorizeRequests: 0, reuseDetected: 0 };

  function issue(refreshToken: string, record: RefreshRecord): Record<string, unknown> {
    counter += 1;
    return {
      access_token: `at-${counter}`,
      token_type: 'bearer',
      expires_in: accessTtl,
      scope: 'psn:mobile.v2.core psn:clientapp',
      id_token: `id-${counter}`,
      refresh_token: refreshToken,
      refresh_token_expires_in: Math.floor((record.expiresAt - opts.now()) / 1000),
    };
  }

  function newRefreshToken(expiresAt: number): string {
    const token = `rt-${(counter + 1).toString()}-${Math.random().toString(36).slice(2)}`;
    refreshTokens.set(token, { expiresAt, revoked: false });
    return token;
  }

  const fetch = fakeFetch(async (req) => {
    if (req.url.pathname.endsWith('/authorize')) {
      stats.authorizeRequests += 1;
      if (req.headers.get('cookie') !== `npsso=${'n'.repeat(64)}`) {
        return new Response(null, { status: 302, headers: { location: 'com.scee.psxandroid.scecompcall://redirect/?error=login_required' } });
      }
      return new Response(null, { status: 302, headers: { location: 'com.scee.psxandroid.scecompcall://redirect/?code=v3.code' } });
    }
    stats.tokenRequests += 1;
    if (opts.gate) await opts.gate();
    const grant = req.body.get('grant_type');
    if (grant === 'authorization_code') {
      const token = newRefreshToken(opts.now() + refreshTtl * 1000);
      return json(issue(token, refreshTokens.get(token)!));
    }
    stats.refreshRequests += 1;
    const presented = req.body.get('refresh_token') ?? '';
    const record = refreshTokens.get(presented);
    if (!record || record.revoked || record.expiresAt <= opts.now()) {
      return json({ error: 'invalid_grant', error_description: 'refresh token is invalid' }, 400);
    }
    if (policy === 'reuse') return json(issue(presented, record));
    if (record.successor) {
      if (opts.now() - record.successor.spentAt <= (opts.retryWindowSec ?? 10) * 1000) return json(record.successor.answer);
      stats.reuseDetected += 1;
      for (const r of refreshTokens.values()) r.revoked = true; // one family in this fake
      return json({ error: 'invalid_grant', error_description: 'refresh token reuse' }, 400);
    }
    const next = newRefreshToken(record.expiresAt);
    const answer = issue(next, refreshTokens.get(next)!);
    record.successor = { token: next, spentAt: opts.now(), answer };
    return json(answer);
  });

  return { fetch, stats, refreshTokens, npsso: 'n'.repeat(64) };
}
