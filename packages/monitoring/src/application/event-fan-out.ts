import type { RequestEvent } from '../domain/request-event.js';
import type { EventSink } from '../ports.js';

/** One sink that hands each event to every sink given, in order; a sink that throws never stops the others. */
export function fanOutEvents(sinks: readonly EventSink[]): EventSink {
  return {
    record(event: RequestEvent): void {
      for (const sink of sinks) {
        try {
          sink.record(event);
        } catch {
          // Monitoring is best effort: one failing sink must not cost the others their event.
        }
      }
    },
  };
}
