import { spanIdOf } from './span-id.js';
import { TraceRecorder } from './trace-recorder.js';

describe('span ids', () => {
  it('are the first 16 hex characters of SHA-256 of `<trace id>:<position>`, so traces written before keep their ids', () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(spanIdOf(traceId, 0)).toBe('3b8710890ffdb54a');
    expect(spanIdOf(traceId, 1)).toBe('4934f90aa941ae8c');
    expect(spanIdOf(traceId, 7)).toBe('0b2862434b6bacbf');
  });

  it("name a recorder's root and its spans by position", async () => {
    const recorder = new TraceRecorder();
    expect(recorder.rootSpanId).toBe(spanIdOf(recorder.traceId, 0));
    recorder.start('resolve').end();
    await recorder.span(
      'generate',
      async () => undefined,
      () => ({}),
    );
    const { spans } = recorder.finish({ completed: true });
    expect(spans.map((span) => [span.spanId, span.parentSpanId])).toEqual([
      [spanIdOf(recorder.traceId, 1), recorder.rootSpanId],
      [spanIdOf(recorder.traceId, 2), recorder.rootSpanId],
    ]);
  });
});
