import { createHash } from 'node:crypto';

/**
 * Whether a request is in a sample of `rate` of the traffic, decided by a hash of its id: the same id always gets
 * the same answer (a run can be replayed), and ids spread evenly. Rate 0 takes none, rate 1 takes all.
 */
export function isRequestSampled(requestId: string, rate: number): boolean {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  // The first 48 bits of SHA-256 as a fraction of 2^48: uniform for any id, exact in a double.
  const fraction = Number.parseInt(createHash('sha256').update(requestId).digest('hex').slice(0, 12), 16) / 2 ** 48;
  return fraction < rate;
}
