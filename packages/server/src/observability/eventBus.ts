/** The edge's implementation of the domain's `SecurityEvents`: a synchronous fan-out to listeners. */
import type { SecurityEvent, SecurityEvents } from '../domain/events.js';

export type SecurityEventListener = (event: SecurityEvent) => void;

export interface EventBus extends SecurityEvents {
  /** Adds a listener; the returned function removes it. */
  subscribe(listener: SecurityEventListener): () => void;
}

/**
 * A bus whose `emit` calls every listener in turn. A listener that throws is skipped, never
 * the domain operation that emitted: an observer must not be able to fail a sign-in.
 *
 * @example
 * ```ts
 * const events = createEventBus();
 * const stop = events.subscribe((e) => console.log(e.type));
 * events.emit({ type: 'lockout', address: '203.0.113.9' });
 * stop();
 * ```
 */
export function createEventBus(): EventBus {
  const listeners = new Set<SecurityEventListener>();
  return {
    emit(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // An observer's failure is its own; the operation goes on.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
