import { StringDecoder } from 'node:string_decoder';

/** One event of a `text/event-stream` body that carried data: its `event:` name, if any, and its `data:` lines joined. */
export interface ServerSentEvent {
  event: string | undefined;
  data: string;
}

/**
 * Splits a `text/event-stream` body into events as its bytes arrive, whatever the boundaries of the chunks (inside a
 * line, between the `\r` and `\n` of a line ending, inside a multi-byte character). Follows the event-stream format:
 * lines end with `\r\n`, `\n` or `\r`; a blank line completes an event; `data:` lines are joined with `\n`, `event:`
 * names the event, a single space after the colon is dropped; comments (`:`) and other fields are ignored; blocks
 * without `data:` lines (keep-alives) give no event.
 */
export class ServerSentEventDecoder {
  private readonly decoder = new StringDecoder('utf8');
  private buffered = '';
  private data: string[] = [];
  private event: string | undefined;

  /** The events a chunk of the body completes, in order. */
  push(chunk: Uint8Array): ServerSentEvent[] {
    this.buffered += this.decoder.write(chunk);
    return this.takeLines(false);
  }

  /** At the end of the body: the last event when the body stopped without its blank line. */
  end(): ServerSentEvent[] {
    this.buffered += this.decoder.end();
    const events = this.takeLines(true);
    if (this.buffered !== '') this.readLine(this.buffered, events);
    this.buffered = '';
    this.dispatch(events);
    return events;
  }

  private takeLines(atEnd: boolean): ServerSentEvent[] {
    const events: ServerSentEvent[] = [];
    let start = 0;
    for (;;) {
      const index = lineEndIn(this.buffered, start);
      if (index < 0) break;
      // A `\r` last in the buffer may be the first half of `\r\n`: wait for the next byte unless the body ended.
      if (this.buffered[index] === '\r' && index === this.buffered.length - 1 && !atEnd) break;
      this.readLine(this.buffered.slice(start, index), events);
      start = index + (this.buffered.startsWith('\r\n', index) ? 2 : 1);
    }
    this.buffered = this.buffered.slice(start);
    return events;
  }

  private readLine(line: string, events: ServerSentEvent[]): void {
    if (line === '') {
      this.dispatch(events);
      return;
    }
    const colon = line.indexOf(':');
    if (colon === 0) return;
    const field = colon < 0 ? line : line.slice(0, colon);
    const raw = colon < 0 ? '' : line.slice(colon + 1);
    const value = raw.startsWith(' ') ? raw.slice(1) : raw;
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
  }

  private dispatch(events: ServerSentEvent[]): void {
    if (this.data.length > 0) events.push({ event: this.event, data: this.data.join('\n') });
    this.data = [];
    this.event = undefined;
  }
}

function lineEndIn(text: string, from: number): number {
  for (let index = from; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 10 || code === 13) return index;
  }
  return -1;
}
