/** The edge's observers of the domain's `SecurityEvents`: a synchronous fan-out to listeners (metrics, log lines). */
import type { SecurityEvent, SecurityEvents } from '../domain/securityEvents.js';

export type SecurityEventListener = (event: SecurityEvent) => void;

export interface EventBus extends SecurityEvents {
  /** Adds a listener; the returned function removes it. */
  subscribe(listener: SecurityEventListener): () => void;
}

/**
 * A bus whose `emit` calls every listener in turn, before it returns. A listener that throws is
 * skipped, never the domain operation that emitted: an observer must not be able to fail a sign-in.
 *
 * @example
 * ```ts
 * const events = createEventBus();
 * const stop = events.subscribe((e) => console.log(e.type));
 * await events.emit({ type: 'signin.locked', address: '203.0.113.9' });
 * stop();
 * ```
 */
export function createEventBus(): EventBus {
  const listeners = new Set<SecurityEventListener>();
  return {
    async emit(event) {
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

/**
 * `sink` (the audit trail) with `bus` told of every event first: the domain awaits the sink,
 * whose failure (a database that is away) stays the operation's; the observers never fail it.
 *
 * @example
 * ```ts
 * const events = withObservers(auditTrail(repo, now), bus);
 * await events.emit({ type: 'signout', userId });
 * ```
 */
export function withObservers(sink: SecurityEvents, bus: EventBus): SecurityEvents {
  return {
    async emit(event) {
      await bus.emit(event);
      await sink.emit(event);
    },
  };
}
