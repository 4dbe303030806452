import { hash } from 'node:crypto';

/**
 * A span id (16 hex characters) derived from the trace id and the span's position (0 is the root, the request itself;
 * a step's position is its place in start order plus one), so that a trace written again, or to a second destination,
 * has the same span ids.
 */
export function spanIdOf(traceId: string, position: number): string {
  // The one-shot digest: the same bytes as a `createHash` object, without building one per span.
  return hash('sha256', `${traceId}:${position}`, 'hex').slice(0, 16);
}
