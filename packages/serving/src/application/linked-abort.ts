/**
 * An abort controller that also aborts when an outer signal does, with the outer signal's reason: what
 * `AbortSignal.any([outer, controller.signal])` gives, without its composite signal (whose weak references and
 * finalizers cost about 15 µs of CPU each, one per streamed request). {@link LinkedAbort.release} it once its work is
 * done, so the outer signal stops holding it.
 */
export class LinkedAbort {
  private readonly controller = new AbortController();
  /** Aborts when {@link LinkedAbort.abort} is called or the outer signal aborts, whichever comes first. */
  readonly signal: AbortSignal = this.controller.signal;
  private readonly follow = (): void => this.controller.abort(this.outer?.reason);

  constructor(private readonly outer: AbortSignal | undefined) {
    if (outer === undefined) return;
    if (outer.aborted) this.controller.abort(outer.reason);
    else outer.addEventListener('abort', this.follow, { once: true });
  }

  /** Aborts {@link LinkedAbort.signal} (nothing when it already aborted). */
  abort(reason?: unknown): void {
    this.controller.abort(reason);
  }

  /** Stops following the outer signal; aborting stays possible. */
  release(): void {
    this.outer?.removeEventListener('abort', this.follow);
  }
}
