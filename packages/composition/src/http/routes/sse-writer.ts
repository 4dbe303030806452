import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Resolves when the response's socket buffer has drained (or the response closed). */
function drained(raw: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.on('drain', done);
    raw.on('close', done);
  });
}

/**
 * Writes server-sent events to a response without a socket write per event: the events of one event-loop turn (the
 * chunks of one upstream packet) are joined and leave in one write at `setImmediate`. `send` waits only while the
 * socket's buffer is full, so a slow client still slows the stream down.
 *
 * The response's head (status 200 and `headers`) is written with the first events, not before: a stream whose events
 * all arrive before the first write (a short answer from a fast upstream, a replayed cache hit, a refusal) goes out
 * whole, with a `content-length` instead of chunked encoding, in one socket write. A response whose head was already
 * written is streamed as it is.
 */
export class SseWriter {
  private pending = '';
  private scheduled = false;

  constructor(
    private readonly raw: ServerResponse,
    private readonly headers: OutgoingHttpHeaders = {},
  ) {}

  /**
   * Queues one event's text (`data: …\n\n`). Answers a promise to wait for only while the socket's buffer is full
   * (resolved once it drains), else `undefined`: a stream's events are many, and awaiting a resolved promise for each
   * still costs a turn of the microtask queue.
   */
  send(text: string): Promise<void> | undefined {
    if (this.raw.destroyed) return undefined;
    this.pending += text;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return this.raw.writableNeedDrain ? drained(this.raw) : undefined;
  }

  /** Takes what is queued and not yet written. */
  takePending(): string {
    const text = this.pending;
    this.pending = '';
    return text;
  }

  /** Ends the response with what is still queued; `onEnded` runs once it is written. */
  end(onEnded?: () => void): void {
    const raw = this.raw;
    const text = raw.destroyed ? '' : this.takePending();
    if (!raw.headersSent && !raw.destroyed)
      raw.writeHead(200, { ...this.headers, 'content-length': Buffer.byteLength(text) });
    if (onEnded) raw.end(text, onEnded);
    else raw.end(text);
  }

  private flush(): void {
    this.scheduled = false;
    const text = this.takePending();
    if (text === '' || this.raw.destroyed || this.raw.writableEnded) return;
    if (!this.raw.headersSent) this.raw.writeHead(200, this.headers);
    this.raw.write(text);
  }
}
