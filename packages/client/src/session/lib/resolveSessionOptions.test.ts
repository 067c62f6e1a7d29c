import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../stores/memory.js';
import { createVault } from '../../vault/createVault.js';
import { resolveSessionOptions } from './resolveSessionOptions.js';

describe('resolveSessionOptions', () => {
  it('applies every default once', () => {
    const resolved = resolveSessionOptions();
    expect(resolved).toMatchObject({
      refreshWindowMs: 300_000,
      mustRefreshWindowMs: 30_000,
      clockSkewMs: 10_000,
      refreshTokenWarningDays: 7,
      backgroundRetryMs: 30_000,
      vault: undefined,
      name: '',
      lockOptions: undefined,
      exchange: {},
    });
    expect(resolved.now).toBe(Date.now);
  });

  it('keeps given values, zeros included, and passes only exchange options on to the exchanges', () => {
    const now = () => 0;
    const resolved = resolveSessionOptions({ now, clockSkewMs: 0, refreshWindowMs: 1, baseUrl: 'http://127.0.0.1:1', clientId: 'c', timeoutMs: 5 });
    expect(resolved.now).toBe(now);
    expect(resolved.clockSkewMs).toBe(0);
    expect(resolved.refreshWindowMs).toBe(1);
    expect(resolved.exchange).toEqual({ baseUrl: 'http://127.0.0.1:1', clientId: 'c', timeoutMs: 5 });
  });

  it('answers a frozen object', () => {
    const resolved = resolveSessionOptions({ clockSkewMs: 1 });
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved.exchange)).toBe(true);
  });

  it('refuses a vault without an entry name', () => {
    const vault = createVault({ store: createMemoryStore(), keys: [{ id: 'k1', secret: 'a'.repeat(64) }] });
    expect(() => resolveSessionOptions({ vault })).toThrow(/needs a `name`/);
    expect(resolveSessionOptions({ vault, name: 'bot' }).name).toBe('bot');
  });
});
