/** The event bus: every listener hears every event, a failing listener fails nobody, unsubscribing works; the audit sink after it. */
import { describe, expect, it } from 'vitest';
import type { SecurityEvent } from '../domain/securityEvents.js';
import { createEventBus, withObservers } from './eventBus.js';
import { prettyLine } from './prettyLog.js';

describe('the security event bus', () => {
  it('calls every listener, skips one that throws, and stops calling one that unsubscribed', () => {
    const bus = createEventBus();
    const heard: string[] = [];
    bus.subscribe(() => {
      throw new Error('observer broke');
    });
    const stop = bus.subscribe((e: SecurityEvent) => void heard.push(`a:${e.type}`));
    bus.subscribe((e: SecurityEvent) => void heard.push(`b:${e.type}`));
    expect(() => bus.emit({ type: 'signin.locked' })).not.toThrow();
    stop();
    void bus.emit({ type: 'sessions.revoked' });
    expect(heard).toEqual(['a:signin.locked', 'b:signin.locked', 'b:sessions.revoked']);
  });

  it('tells the observers of every event before the sink, and a failing sink fails the emit', async () => {
    const bus = createEventBus();
    const heard: string[] = [];
    bus.subscribe((e) => void heard.push(`bus:${e.type}`));
    const sink = { emit: async (e: SecurityEvent) => void heard.push(`sink:${e.type}`) };
    await withObservers(sink, bus).emit({ type: 'signout' });
    expect(heard).toEqual(['bus:signout', 'sink:signout']);
    const broken = withObservers({ emit: () => Promise.reject(new Error('database away')) }, bus);
    await expect(broken.emit({ type: 'grant.refused', outcome: 'invalid_grant' })).rejects.toThrow('database away');
    expect(heard).toEqual(['bus:signout', 'sink:signout', 'bus:grant.refused']);
  });
});

describe('--log-format pretty', () => {
  it('prints time, level, message and the other fields of a JSON line, and other text as it was', () => {
    const line = JSON.stringify({ level: 40, time: Date.UTC(2030, 0, 1, 12, 4, 5), pid: 1, hostname: 'h', msg: 'locked', event: 'signin.locked', detail: { a: 1 } });
    expect(prettyLine(line)).toBe('12:04:05 WARN  locked event=signin.locked detail={"a":1}\n');
    expect(prettyLine('not json')).toBe('not json');
  });
});
