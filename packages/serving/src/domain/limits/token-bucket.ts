/** A token bucket's state: how many tokens it held at `updatedAtMs` (below zero: in debt). */
export interface TokenBucketState {
  tokens: number;
  updatedAtMs: number;
}

/** A bucket that holds `capacity` tokens and refills all of them, evenly, over `refillMs`. */
export interface TokenBucketShape {
  capacity: number;
  refillMs: number;
}

/** A full bucket at `nowMs`. */
export function fullBucket(shape: TokenBucketShape, nowMs: number): TokenBucketState {
  return { tokens: shape.capacity, updatedAtMs: nowMs };
}

/** The bucket at `nowMs`: refilled for the time passed, never above capacity (a clock going back refills nothing). */
export function refill(shape: TokenBucketShape, state: TokenBucketState, nowMs: number): TokenBucketState {
  const elapsed = Math.max(0, nowMs - state.updatedAtMs);
  const tokens = Math.min(shape.capacity, state.tokens + (elapsed * shape.capacity) / shape.refillMs);
  return { tokens, updatedAtMs: Math.max(nowMs, state.updatedAtMs) };
}

/** Milliseconds until a refilled bucket holds `wanted` tokens (0 when it already does). */
export function msUntil(shape: TokenBucketShape, state: TokenBucketState, wanted: number): number {
  if (state.tokens >= wanted) return 0;
  // Less a micro-millisecond, so float noise (1000.0000000000009) does not add a whole millisecond.
  return Math.max(1, Math.ceil(((wanted - state.tokens) * shape.refillMs) / shape.capacity - 1e-6));
}

/**
 * Takes `amount` tokens when the refilled bucket holds them; otherwise takes nothing and says how long to wait.
 * @returns the new state and `retryAfterMs` (0 when taken).
 */
export function take(
  shape: TokenBucketShape,
  state: TokenBucketState,
  options: { nowMs: number; amount: number },
): { state: TokenBucketState; retryAfterMs: number } {
  const current = refill(shape, state, options.nowMs);
  const wait = msUntil(shape, current, options.amount);
  if (wait > 0) return { state: current, retryAfterMs: wait };
  return { state: { ...current, tokens: current.tokens - options.amount }, retryAfterMs: 0 };
}

/**
 * Takes `amount` tokens whether or not the bucket holds them: the bucket may go into debt, which later requests wait
 * out. Tokens per minute are charged this way, after the answer, from its usage.
 */
export function charge(
  shape: TokenBucketShape,
  state: TokenBucketState,
  options: { nowMs: number; amount: number },
): TokenBucketState {
  const current = refill(shape, state, options.nowMs);
  return { ...current, tokens: current.tokens - options.amount };
}
