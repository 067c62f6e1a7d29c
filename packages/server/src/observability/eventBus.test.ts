/** The event bus: every listener hears every event, a failing listener fails nobody, unsubscribing works. */
import { describe, expect, it } from 'vitest';
import type { SecurityEvent } from '../domain/events.js';
import { createEventBus } from './eventBus.js';
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
    expect(() => bus.emit({ type: 'lockout' })).not.toThrow();
    stop();
    bus.emit({ type: 'revoke_all' });
    expect(heard).toEqual(['a:lockout', 'b:lockout', 'b:revoke_all']);
  });
});

describe('--log-format pretty', () => {
  it('prints time, level, message and the other fields of a JSON line, and other text as it was', () => {
    const line = JSON.stringify({ level: 40, time: Date.UTC(2030, 0, 1, 12, 4, 5), pid: 1, hostname: 'h', msg: 'locked', event: 'lockout', detail: { a: 1 } });
    expect(prettyLine(line)).toBe('12:04:05 WARN  locked event=lockout detail={"a":1}\n');
    expect(prettyLine('not json')).toBe('not json');
  });
});
