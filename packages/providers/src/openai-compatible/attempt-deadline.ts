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
  private readonly onCallerAbort = () => this.controller.abort(this.callerSignal?.reason);

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
    this.pause();
    if (this.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort(new DOMException(`no response within ${this.timeoutMs} ms`, 'TimeoutError'));
    }, this.timeoutMs);
  }

  /** Stops the timeout (while the consumer of a stream holds a chunk). */
  pause(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Releases the timer and the listener on the caller's signal. */
  dispose(): void {
    this.pause();
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }
}
