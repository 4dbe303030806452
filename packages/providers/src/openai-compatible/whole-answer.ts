import type { Dispatcher } from 'undici';

/** How one request ended: its answer read whole, or what failed and whether the answer's head had arrived. */
export type WholeAnswer =
  | { ok: true; status: number; rawHeaders: readonly (Buffer | string)[]; text: string }
  | { ok: false; started: boolean; error: unknown };

/** The request of {@link readWholeAnswer}: what undici's `dispatch` takes, without the signal. */
export type WholeAnswerRequest = Pick<Dispatcher.DispatchOptions, 'path' | 'method' | 'headers' | 'body'>;

/**
 * Undici's handler for an answer read whole (the legacy callbacks, which undici calls without a wrapper): the body's
 * parts are kept as they come and joined once at the end. Aborting `signal` aborts the request, before or after the
 * answer's head.
 */
class WholeAnswerHandler implements Dispatcher.DispatchHandler {
  private readonly parts: Buffer[] = [];
  private status = 0;
  private rawHeaders: readonly (Buffer | string)[] = [];
  private abortRequest: ((reason?: Error) => void) | undefined;
  private readonly onAbort = () => this.abortRequest?.(this.signal.reason as Error);

  constructor(
    private readonly signal: AbortSignal,
    private readonly settle: (answer: WholeAnswer) => void,
  ) {
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  onConnect(abort: (reason?: Error) => void): void {
    if (this.signal.aborted) abort(this.signal.reason as Error);
    else this.abortRequest = abort;
  }

  onHeaders(statusCode: number, rawHeaders: (Buffer | string)[]): boolean {
    // 1xx heads (100 Continue) come before the answer's own.
    if (statusCode < 200) return true;
    this.status = statusCode;
    this.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.parts.push(chunk);
    return true;
  }

  onComplete(): void {
    this.signal.removeEventListener('abort', this.onAbort);
    const parts = this.parts;
    const text = parts.length === 1 ? (parts[0] as Buffer).toString('utf8') : Buffer.concat(parts).toString('utf8');
    this.settle({ ok: true, status: this.status, rawHeaders: this.rawHeaders, text });
  }

  onError(error: Error): void {
    this.signal.removeEventListener('abort', this.onAbort);
    this.settle({ ok: false, started: this.status !== 0, error });
  }
}

/**
 * Sends one request on `dispatcher` (an undici `Pool`) and reads its answer whole. It settles once, never rejects:
 * with the status, the raw headers and the body's text, or with the failure. This is the `request` API's work without
 * its per-call `AsyncResource`, response stream and header object: a JSON answer is read in one piece anyway, and
 * the headers are only wanted when the call failed.
 */
export function readWholeAnswer(
  dispatcher: Dispatcher,
  request: WholeAnswerRequest,
  signal: AbortSignal,
): Promise<WholeAnswer> {
  return new Promise((resolve) => {
    dispatcher.dispatch(request as Dispatcher.DispatchOptions, new WholeAnswerHandler(signal, resolve));
  });
}
