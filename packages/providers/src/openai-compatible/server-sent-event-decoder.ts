import { StringDecoder } from 'node:string_decoder';

/** One event of a `text/event-stream` body that carried data: its `event:` name, if any, and its `data:` lines joined. */
export interface ServerSentEvent {
  event: string | undefined;
  data: string;
}

/**
 * Splits a `text/event-stream` body into events as its bytes arrive, whatever the boundaries of the chunks: bytes are
 * decoded as UTF-8 across chunks, and an event is complete at its blank line (`\n\n` or `\r\n\r\n`). Blocks without
 * `data:` lines (comments, keep-alives) give no event.
 */
export class ServerSentEventDecoder {
  private readonly decoder = new StringDecoder('utf8');
  private buffered = '';

  /** The events a chunk of the body completes, in order. */
  push(chunk: Uint8Array): ServerSentEvent[] {
    this.buffered += this.decoder.write(chunk);
    const events: ServerSentEvent[] = [];
    let end = eventEnd(this.buffered);
    while (end !== undefined) {
      const event = parseEvent(this.buffered.slice(0, end.index));
      this.buffered = this.buffered.slice(end.index + end.length);
      if (event !== undefined) events.push(event);
      end = eventEnd(this.buffered);
    }
    return events;
  }

  /** At the end of the body: the last event when the body stopped without its blank line. */
  end(): ServerSentEvent[] {
    const rest = parseEvent(this.buffered + this.decoder.end());
    this.buffered = '';
    return rest === undefined ? [] : [rest];
  }
}

function eventEnd(text: string): { index: number; length: number } | undefined {
  const lf = text.indexOf('\n\n');
  const crlf = text.indexOf('\r\n\r\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { index: crlf, length: 4 };
  return lf >= 0 ? { index: lf, length: 2 } : undefined;
}

function parseEvent(block: string): ServerSentEvent | undefined {
  let event: string | undefined;
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith('data:')) data.push(line.slice(line.charCodeAt(5) === 32 ? 6 : 5));
    else if (line.startsWith('event:')) event = line.slice(6).trim();
  }
  return data.length === 0 ? undefined : { event, data: data.join('\n') };
}
