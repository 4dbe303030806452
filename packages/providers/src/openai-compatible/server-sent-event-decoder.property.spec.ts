import fc from 'fast-check';
import { ServerSentEventDecoder } from './server-sent-event-decoder.js';
import type { ServerSentEvent } from './server-sent-event-decoder.js';

/** Text of one line: any characters (multi-byte ones, emoji, lone surrogates excluded) but line endings. */
const lineText = fc.string({ unit: 'grapheme', maxLength: 40 }).map((text) => text.replace(/[\r\n]/g, ' '));
const eventName = fc.option(fc.stringMatching(/^[a-z][a-z_.]{0,11}$/), { nil: undefined });
const event: fc.Arbitrary<ServerSentEvent> = fc
  .record({ event: eventName, lines: fc.array(lineText, { minLength: 1, maxLength: 4 }) })
  .map(({ event: name, lines }) => ({ event: name, data: lines.join('\n') }));
/** Lines the decoder must ignore: comments (keep-alives), ids and retry hints. */
const ignoredLine = fc.constantFrom(': keep-alive', ':', 'id: 42', 'retry: 3000');

/** A stream written as a server would: fields in any order, line endings of one kind or mixed, the last blank optional. */
const stream = fc
  .record({
    events: fc.array(fc.tuple(event, fc.array(ignoredLine, { maxLength: 2 })), { maxLength: 6 }),
    // A CR followed by an LF reads as one CRLF, so no writer puts an LF ending after a CR ending.
    endings: fc.constantFrom<readonly string[]>(['\n'], ['\r\n'], ['\r'], ['\n', '\r\n'], ['\r\n', '\r']),
    seed: fc.integer(),
  })
  .map(({ events, endings, seed }) => {
    let turn = Math.abs(seed);
    const ending = () => endings[turn++ % endings.length] as string;
    const text = events
      .map(([{ event: name, data }, ignored]) => {
        const lines = [
          ...ignored,
          ...(name === undefined ? [] : [`event: ${name}`]),
          ...data.split('\n').map((line) => `data: ${line}`),
        ];
        return `${lines.map((line) => `${line}${ending()}`).join('')}${ending()}`;
      })
      .join('');
    return { events: events.map(([value]) => value), bytes: Buffer.from(text, 'utf8') };
  });

/** Cuts bytes at the given offsets (any byte, inside a character or a line ending too). */
function cut(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const points = [...new Set(offsets.map((offset) => offset % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    parts.push(bytes.subarray(start, point));
    start = point;
  }
  return parts;
}

function decode(parts: readonly Buffer[]): ServerSentEvent[] {
  const decoder = new ServerSentEventDecoder();
  return [...parts.flatMap((part) => decoder.push(part)), ...decoder.end()];
}

describe('ServerSentEventDecoder properties (fast-check)', () => {
  it('reads back the events a server wrote, with LF, CRLF or CR line endings, mixed too', () => {
    fc.assert(
      fc.property(stream, ({ events, bytes }) => {
        expect(decode([bytes])).toEqual(events);
      }),
      { numRuns: 500 },
    );
  });

  it('assembles the same events whatever byte boundaries the body arrives in', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 30 }), ({ bytes }, offsets) => {
        expect(decode(cut(bytes, offsets))).toEqual(decode([bytes]));
      }),
      { numRuns: 500 },
    );
  });

  it('gives each event as soon as its blank line arrives, not at the end of the body', () => {
    fc.assert(
      fc.property(stream, ({ events, bytes }) => {
        const decoder = new ServerSentEventDecoder();
        const seen: ServerSentEvent[] = [];
        for (let index = 0; index < bytes.length; index += 1)
          seen.push(...decoder.push(bytes.subarray(index, index + 1)));
        // Only a body ending in CR holds its last event back: that CR may be the first half of CRLF.
        const held = bytes.at(-1) === 13 ? 1 : 0;
        expect(seen).toEqual(events.slice(0, events.length - held));
        expect(decoder.end()).toEqual(events.slice(events.length - held));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on any bytes, and yields only events that carry data', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const events = decode(chunks.map((chunk) => Buffer.from(chunk)));
        for (const value of events) expect(typeof value.data).toBe('string');
      }),
      { numRuns: 500 },
    );
  });
});
