/**
 * The abort signal of one attempt of an upstream call: it aborts when the caller's signal aborts,
 * or when `timeoutMs` pass without {@link AttemptDeadline.restart} (for streams: between chunks).
 * Remembers which of the two happened, so the failure can say `timeout` or "aborted by the caller".
 */
export class AttemptDeadline {
  /** The signal to hand to the request. */
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timeoutMs: number;
  private readonly callerSignal: AbortSignal | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private expired = false;
  private paused = false;
  private readonly onCallerAbort = () => this.controller.abort(this.callerSignal?.reason);
  private readonly onTimeout = () => {
    if (this.paused) return;
    this.expired = true;
    this.controller.abort(new DOMException(`no response within ${this.timeoutMs} ms`, 'TimeoutError'));
  };

  constructor(options: { timeoutMs: number; callerSignal?: AbortSignal }) {
    this.timeoutMs = options.timeoutMs;
    this.callerSignal = options.callerSignal;
    this.signal = this.controller.signal;
    if (this.callerSignal?.aborted) this.controller.abort(this.callerSignal.reason);
    else this.callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.restart();
  }

  /** True when the attempt was aborted because `timeoutMs` passed. */
  get timedOut(): boolean {
    return this.expired;
  }

  /** True when the caller's own signal aborted the attempt. */
  get callerAborted(): boolean {
    return this.callerSignal?.aborted === true;
  }

  /** The timeout of one attempt, in milliseconds. */
  get limitMs(): number {
    return this.timeoutMs;
  }

  /** Starts the timeout again from now (after a stream chunk arrived). */
  restart(): void {
    if (this.signal.aborted) {
      this.clear();
      return;
    }
    this.paused = false;
    // One timer per attempt, re-armed in place: a stream restarts it for every chunk.
    if (this.timer === undefined) this.timer = setTimeout(this.onTimeout, this.timeoutMs);
    else this.timer.refresh();
  }

  /**
   * Stops the timeout (while the consumer of a stream holds a chunk): the timer stays armed, and its firing is ignored
   * while paused; {@link restart} re-arms it for a whole `timeoutMs` from then.
   */
  pause(): void {
    this.paused = true;
  }

  /** Releases the timer and the listener on the caller's signal. */
  dispose(): void {
    this.clear();
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  private clear(): void {
    this.paused = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
