import type { ServerResponse } from 'node:http';

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
 */
export class SseWriter {
  private pending = '';
  private scheduled = false;

  constructor(private readonly raw: ServerResponse) {}

  /** Queues one event's text (`data: …\n\n`); resolves at once unless the socket's buffer is full. */
  send(text: string): Promise<void> {
    if (this.raw.destroyed) return Promise.resolve();
    this.pending += text;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return this.raw.writableNeedDrain ? drained(this.raw) : Promise.resolve();
  }

  /** Takes what is queued and not yet written (to end the response with it in one write). */
  takePending(): string {
    const text = this.pending;
    this.pending = '';
    return text;
  }

  private flush(): void {
    this.scheduled = false;
    const text = this.takePending();
    if (text !== '' && !this.raw.destroyed && !this.raw.writableEnded) this.raw.write(text);
  }
}
