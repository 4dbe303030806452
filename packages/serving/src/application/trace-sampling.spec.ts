import { isTraceKept, traceSampleRateFromEnv } from './trace-sampling.js';
import { newTraceId } from './trace-id.js';

describe('LLMOPS_TRACE_SAMPLE_RATE', () => {
  it('is 1 when unset or empty, else the number given', () => {
    expect(traceSampleRateFromEnv({})).toBe(1);
    expect(traceSampleRateFromEnv({ LLMOPS_TRACE_SAMPLE_RATE: ' ' })).toBe(1);
    expect(traceSampleRateFromEnv({ LLMOPS_TRACE_SAMPLE_RATE: '0' })).toBe(0);
    expect(traceSampleRateFromEnv({ LLMOPS_TRACE_SAMPLE_RATE: ' 0.25 ' })).toBe(0.25);
    expect(traceSampleRateFromEnv({ LLMOPS_TRACE_SAMPLE_RATE: '.5' })).toBe(0.5);
    expect(traceSampleRateFromEnv({ LLMOPS_TRACE_SAMPLE_RATE: '1.0' })).toBe(1);
  });

  it.each([
    ['half', '"half"'],
    ['1.5', '"1.5"'],
    ['-0.1', '"-0.1"'],
    ['1e-1', '"1e-1"'],
    ['NaN', '"NaN"'],
  ])('refuses %s, naming the variable, its value and the range', (value, shown) => {
    expect(() => traceSampleRateFromEnv({ LLMOPS_TRACE_SAMPLE_RATE: value })).toThrow(
      `environment variable LLMOPS_TRACE_SAMPLE_RATE is ${shown}; expected a number from 0 to 1 (the share of requests whose trace is stored)`,
    );
  });
});

describe('isTraceKept', () => {
  const ids = Array.from({ length: 4000 }, () => newTraceId());

  it('keeps every trace at 1 and none of the plain ones at 0', () => {
    expect(ids.every((traceId) => isTraceKept({ traceId, status: 'ok' }, 1))).toBe(true);
    expect(ids.some((traceId) => isTraceKept({ traceId, status: 'ok' }, 0))).toBe(false);
  });

  it('always keeps a failed or blocked trace', () => {
    const traceId = ids[0];
    expect(isTraceKept({ traceId, status: 'error' }, 0)).toBe(true);
    const blocked = { stage: 'input', check: 'pii', categories: ['email'] } as never;
    expect(isTraceKept({ traceId, status: 'ok', blocked }, 0)).toBe(true);
  });

  it('decides by the trace id alone, keeping about the share asked', () => {
    const kept = ids.filter((traceId) => isTraceKept({ traceId, status: 'ok' }, 0.1));
    expect(kept.length).toBeGreaterThan(300);
    expect(kept.length).toBeLessThan(500);
    expect(kept.every((traceId) => isTraceKept({ traceId, status: 'ok' }, 0.1))).toBe(true);
    // A larger rate keeps every trace a smaller one kept (the same cut-off moves up).
    expect(kept.every((traceId) => isTraceKept({ traceId, status: 'ok' }, 0.5))).toBe(true);
  });
});
