import { spanIdOf } from './span-id.js';
import { TraceRecorder, withinSpan } from './trace-recorder.js';

describe('TraceRecorder: spans and their parents', () => {
  it('puts a span started outside any other under the root, and one started within a span under that span', async () => {
    const recorder = new TraceRecorder();
    recorder.start('resolve').end();
    const attempt = recorder.start('attempt');
    await attempt.within(async () => {
      await recorder.span(
        'generate',
        async () => recorder.start('agent_run').end(),
        () => ({}),
      );
    });
    attempt.end();
    recorder.start('guard_output').end();
    const { spans } = recorder.finish({ completed: true });
    const parentOf = (name: string) => {
      const span = spans.find((candidate) => candidate.name === name);
      const parent = spans.find((candidate) => candidate.spanId === span?.parentSpanId);
      return parent?.name ?? (span?.parentSpanId === recorder.rootSpanId ? 'root' : 'unknown');
    };
    expect(spans.map((span) => `${span.name} <- ${parentOf(span.name)}`)).toEqual([
      'resolve <- root',
      'attempt <- root',
      'generate <- attempt',
      'agent_run <- generate',
      'guard_output <- root',
    ]);
    expect(new Set(spans.map((span) => span.spanId)).size).toBe(spans.length);
  });

  it('keeps concurrent siblings apart: work running beside a span is not its child', async () => {
    const recorder = new TraceRecorder();
    const cache = recorder.start('cache');
    const lookup = cache.within(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      recorder.start('cache_store').end();
    });
    const retrieve = recorder.span(
      'retrieve',
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
      },
      () => ({}),
    );
    const beside = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      recorder.start('guard_input').end();
    })();
    await Promise.all([lookup, retrieve, beside]);
    cache.end();
    const { spans } = recorder.finish({ completed: true });
    const byName = new Map(spans.map((span) => [span.name, span]));
    expect(byName.get('cache_store')?.parentSpanId).toBe(byName.get('cache')?.spanId);
    expect(byName.get('retrieve')?.parentSpanId).toBe(recorder.rootSpanId);
    expect(byName.get('guard_input')?.parentSpanId).toBe(recorder.rootSpanId);
  });

  it('runs work as it is when there is no span', () => {
    expect(withinSpan(undefined, () => 42)).toBe(42);
  });
});

describe('TraceRecorder: the trace id', () => {
  it('is time-ordered by the trace’s start time (its first 12 hex digits), so later traces sort after earlier ones', () => {
    let now = Date.UTC(2026, 10, 30, 12, 0, 0);
    const clock = { now: () => now, monotonic: () => now };
    const ids = Array.from({ length: 50 }, () => {
      now += 1;
      return new TraceRecorder({ clock }).traceId;
    });
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]?.slice(0, 12)).toBe((Date.UTC(2026, 10, 30, 12, 0, 0) + 1).toString(16).padStart(12, '0'));
    expect(new Set(ids.map((id) => id.slice(12))).size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('TraceRecorder: the sampling decision, taken when the request starts', () => {
  /** A request's spans: one under the root, one nested, one after. */
  async function run(recorder: TraceRecorder): Promise<void> {
    recorder.start('resolve').end();
    await recorder.span(
      'attempt',
      async () => recorder.start('generate').end({ tokens: 3 }),
      () => ({}),
    );
    recorder.start('guard_output').end();
  }

  it('is sampled at rate 1 (the default) and not at rate 0', () => {
    expect(new TraceRecorder().sampled).toBe(true);
    expect(new TraceRecorder({ sampleRate: 1 }).sampled).toBe(true);
    expect(new TraceRecorder({ sampleRate: 0 }).sampled).toBe(false);
  });

  it('ends an unsampled success with no spans', async () => {
    const recorder = new TraceRecorder({ sampleRate: 0 });
    await run(recorder);
    expect(recorder.finish({ completed: true }).spans).toEqual([]);
  });

  it('ends an unsampled failure with its spans, their ids and parents', async () => {
    const recorder = new TraceRecorder({ sampleRate: 0 });
    await run(recorder);
    const { spans } = recorder.finish({ completed: false, error: new Error('upstream down') });
    const id = (position: number) => spanIdOf(recorder.traceId, position);
    expect(spans.map((span) => [span.name, span.spanId, span.parentSpanId])).toEqual([
      ['resolve', id(1), id(0)],
      ['attempt', id(2), id(0)],
      ['generate', id(3), id(2)],
      ['guard_output', id(4), id(0)],
    ]);
    expect(spans[2]?.attributes).toEqual({ tokens: 3 });
  });
});
