import { requestEvent } from '../../__fixtures__/request-events.js';
import type { RequestEvent } from '../request-event.js';
import { monitoringConfSchema } from './slo-definition.js';
import { evaluateSlos, hasHarmfulOutput, isServiceError } from './slo-evaluation.js';

const now = Date.UTC(2026, 10, 29, 12, 0, 0);
const minute = 60_000;

const conf = monitoringConfSchema.parse({
  windows: ['1h', '24h'],
  slos: [
    { name: 'latency_p95', kind: 'latency', percentile: 95, thresholdMs: 500 },
    { name: 'harmful_output', kind: 'harmful_output' },
    { name: 'error_rate', kind: 'error_rate', maxRate: 0.01 },
    { name: 'refusal_rate', kind: 'refusal_rate', minRate: 0.05, maxRate: 0.3 },
    { name: 'online_contextual_relevancy', kind: 'online_metric', metric: 'contextual_relevancy', min: 0.9 },
  ],
});

/** `count` events spread over the minutes before `end`, each with the fields `make(i)` gives. */
function events(count: number, end: number, make: (index: number) => Partial<RequestEvent> = () => ({})) {
  return Array.from({ length: count }, (_, index) =>
    requestEvent({ requestId: `r${end}-${index}`, at: end - (index + 1) * 1000, ...make(index) }),
  );
}

function window(report: ReturnType<typeof evaluateSlos>, name: string, windowName: string) {
  const slo = report.slos.find((candidate) => candidate.name === name);
  const found = slo?.windows.find((candidate) => candidate.window === windowName);
  if (!found) throw new Error(`no ${name} ${windowName}`);
  return found;
}

describe('evaluateSlos: burn rates computed by hand', () => {
  // The last hour: 200 requests. 12 slower than 500 ms, 3 server errors, 1 guardrail block (input), 30 refusals
  // (the block included), 0 harmful outputs. The 23 hours before: 800 requests, 20 slow, 2 errors, 40 refusals.
  const lastHour = events(200, now, (index) => ({
    latencyMs: index < 12 ? 800 : 100,
    ...(index >= 12 && index < 15 ? { status: 502, errorCode: 'upstream_error', completed: false } : {}),
    ...(index === 15
      ? {
          status: 400,
          errorCode: 'guardrail_blocked',
          guardrails: [{ side: 'input' as const, category: 'violence', action: 'block' as const }],
        }
      : {}),
    refused: index >= 15 && index < 45,
  }));
  const before = events(800, now - 61 * minute, (index) => ({
    latencyMs: index < 20 ? 700 : 200,
    ...(index >= 20 && index < 22 ? { status: 500, errorCode: 'internal', completed: false } : {}),
    refused: index >= 22 && index < 62,
  }));
  const report = evaluateSlos([...before, ...lastHour], conf, now);

  it.each([
    // slo, window, events, bad, bad ratio, allowed, burn rate, value, state
    ['latency_p95', '1h', 200, 12, 0.06, 0.05, 1.2, 800, 'breached'],
    ['latency_p95', '24h', 1000, 32, 0.032, 0.05, 0.64, 200, 'ok'],
    ['error_rate', '1h', 200, 3, 0.015, 0.01, 1.5, 0.015, 'breached'],
    ['error_rate', '24h', 1000, 5, 0.005, 0.01, 0.5, 0.005, 'ok'],
    ['refusal_rate', '1h', 200, 30, 0.15, 0.3, 0.5, 0.15, 'ok'],
    ['refusal_rate', '24h', 1000, 70, 0.07, 0.3, 0.07 / 0.3, 0.07, 'ok'],
    ['harmful_output', '1h', 200, 0, 0, 0, null, 0, 'ok'],
  ] as const)('%s over %s: %i events, %i bad', (...row) => {
    const [name, windowName, total, bad, ratio, allowed, burn, value, state] = row;
    const status = window(report, name, windowName);
    expect(status.events).toBe(total);
    expect(status.badEvents).toBe(bad);
    expect(status.badRatio).toBeCloseTo(ratio, 12);
    expect(status.allowedBadRatio).toBeCloseTo(allowed, 12);
    if (burn === null) expect(status.burnRate).toBeNull();
    else expect(status.burnRate).toBeCloseTo(burn, 12);
    expect(status.value).toBeCloseTo(value, 12);
    expect(status.state).toBe(state);
  });

  it('calls an objective breached when any window is, and lists it', () => {
    expect(report.breached).toEqual(['latency_p95', 'error_rate']);
    expect(report.slos.map((slo) => [slo.name, slo.state])).toEqual([
      ['latency_p95', 'breached'],
      ['harmful_output', 'ok'],
      ['error_rate', 'breached'],
      ['refusal_rate', 'ok'],
      ['online_contextual_relevancy', 'no_data'],
    ]);
    expect(report.at).toBe('2026-11-29T12:00:00.000Z');
  });

  it('reports online contextual relevancy as no data, with the reason, when traffic carries no score', () => {
    const status = window(report, 'online_contextual_relevancy', '1h');
    expect(status).toMatchObject({ events: 0, value: null, burnRate: null, state: 'no_data' });
    expect(status.reason).toBe(
      'no event in the window carries an online contextual_relevancy score (none sampled or scored yet)',
    );
  });
});

describe('evaluateSlos: edges', () => {
  it('is breached by exactly one harmful output, with no burn rate (zero budget)', () => {
    const harmful = requestEvent({
      requestId: 'harm',
      at: now - minute,
      guardrails: [{ side: 'output', category: 'dangerous', rule: 'weapons', action: 'block' }],
      refused: true,
    });
    const report = evaluateSlos([...events(99, now), harmful], conf, now);
    expect(window(report, 'harmful_output', '1h')).toMatchObject({
      events: 100,
      badEvents: 1,
      badRatio: 0.01,
      allowedBadRatio: 0,
      burnRate: null,
      value: 0.01,
      state: 'breached',
    });
  });

  it('reads exactly 5 % slow requests as burn rate 1, not a breach; p95 interpolated between ranks', () => {
    const report = evaluateSlos(
      events(20, now, (index) => ({ latencyMs: index === 0 ? 900 : 100 })),
      conf,
      now,
    );
    const status = window(report, 'latency_p95', '1h');
    expect(status).toMatchObject({ badEvents: 1, badRatio: 0.05, burnRate: 1, state: 'ok' });
    // numpy.percentile([100]*19 + [900], 95) = 100 + 0.05 * 800 = 140.
    expect(status.value).toBeCloseTo(140, 9);
  });

  it('breaches a refusal band from below and says so', () => {
    const report = evaluateSlos(
      events(100, now, (index) => ({ refused: index < 2 })),
      conf,
      now,
    );
    expect(window(report, 'refusal_rate', '1h')).toMatchObject({ value: 0.02, state: 'breached', reason: 'below 5%' });
  });

  it('has no data in a window without requests, and keeps events outside every window out', () => {
    const old = events(10, now - 25 * 60 * minute);
    const report = evaluateSlos(old, conf, now);
    for (const slo of report.slos) expect(slo.state).toBe('no_data');
    expect(window(report, 'error_rate', '24h')).toMatchObject({ events: 0, reason: 'no requests in the window' });
    expect(report.breached).toEqual([]);
  });

  it('counts harmful output only on the output side and never for redactions', () => {
    expect(
      hasHarmfulOutput(requestEvent({ guardrails: [{ side: 'input', category: 'violence', action: 'block' }] })),
    ).toBe(false);
    expect(
      hasHarmfulOutput(requestEvent({ guardrails: [{ side: 'output', category: 'email', action: 'redact' }] })),
    ).toBe(false);
    expect(
      hasHarmfulOutput(requestEvent({ guardrails: [{ side: 'output', category: 'hate_harassment', action: 'flag' }] })),
    ).toBe(true);
  });

  it('does not count guardrail blocks as service errors, but counts a stream broken after its start', () => {
    expect(isServiceError(requestEvent({ status: 400, errorCode: 'guardrail_blocked' }))).toBe(false);
    expect(isServiceError(requestEvent({ status: 200, stream: true, errorCode: 'upstream_error' }))).toBe(true);
    expect(isServiceError(requestEvent())).toBe(false);
  });

  it("does not count a refusal by the caller's own key limit as a service error, but counts a provider's 429", () => {
    // The operator's walkthrough: two 429s of a 2-rpm key breached error_rate (15.4 %, burn rate 15.4) and would have
    // fired the shipped critical error-rate-breach alert over a client exceeding its own quota.
    expect(isServiceError(requestEvent({ status: 429, errorCode: 'rate_limited', keyLimit: 'rpm' }))).toBe(false);
    expect(isServiceError(requestEvent({ status: 429, errorCode: 'budget_exceeded', keyLimit: 'budget_day' }))).toBe(
      false,
    );
    expect(isServiceError(requestEvent({ status: 429, errorCode: 'rate_limited' }))).toBe(true);
  });
});

describe('evaluateSlos: online metric objectives', () => {
  it('takes the mean over scored events only: shortfall 1 - mean against the allowed 1 - min', () => {
    // 4 scored events (0.95, 0.85, 0.80, 0.60: mean 0.8) among 10; a score of another metric is ignored.
    const scores = [0.95, 0.85, 0.8, 0.6];
    const traffic = events(10, now, (index): Partial<RequestEvent> =>
      index < scores.length
        ? { scores: { contextual_relevancy: scores[index] as number, faithfulness: 1 } }
        : index === 9
          ? { scores: { faithfulness: 0.1 } }
          : {},
    );
    const status = window(evaluateSlos(traffic, conf, now), 'online_contextual_relevancy', '1h');
    expect(status.events).toBe(4);
    expect(status.badEvents).toBe(3);
    expect(status.value).toBeCloseTo(0.8, 12);
    expect(status.badRatio).toBeCloseTo(0.2, 12);
    expect(status.allowedBadRatio).toBeCloseTo(0.1, 12);
    expect(status.burnRate).toBeCloseTo(2, 12);
    expect(status.state).toBe('breached');
  });

  it('is ok when the mean reaches the objective, even with single answers below it', () => {
    const traffic = events(3, now, (index) => ({ scores: { contextual_relevancy: [1, 1, 0.7][index] as number } }));
    const status = window(evaluateSlos(traffic, conf, now), 'online_contextual_relevancy', '1h');
    expect(status).toMatchObject({ events: 3, badEvents: 1, state: 'ok' });
    expect(status.value).toBeCloseTo(0.9, 12);
    expect(status.burnRate).toBeCloseTo(1, 12);
  });
});

describe('monitoringConfSchema', () => {
  it('turns windows into milliseconds and fills defaults', () => {
    const parsed = monitoringConfSchema.parse({ slos: [{ name: 'harm', kind: 'harmful_output' }] });
    expect(parsed.windows).toEqual([
      { name: '1h', ms: 3_600_000 },
      { name: '24h', ms: 86_400_000 },
    ]);
    expect(parsed.slos[0]).toEqual({ name: 'harm', kind: 'harmful_output', maxRate: 0 });
  });

  it('refuses a band whose minimum exceeds its maximum, and duplicate names', () => {
    const result = monitoringConfSchema.safeParse({
      slos: [
        { name: 'refusals', kind: 'refusal_rate', minRate: 0.5, maxRate: 0.3 },
        { name: 'refusals', kind: 'error_rate', maxRate: 0.01 },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['slos.0.minRate', 'minRate must not exceed maxRate'],
      ['slos.1.name', 'duplicate objective name "refusals"'],
    ]);
  });

  it('reads the onlineEvaluation section with its defaults, and refuses bad values by field', () => {
    const parsed = monitoringConfSchema.parse({
      slos: [{ name: 'relevancy', kind: 'online_metric', metric: 'contextual_relevancy', min: 0.9 }],
      onlineEvaluation: { sampleRate: 0.1, metrics: ['contextual_relevancy', 'faithfulness'] },
    });
    expect(parsed.onlineEvaluation).toEqual({
      sampleRate: 0.1,
      metrics: ['contextual_relevancy', 'faithfulness'],
      judge: 'offline',
      maxConcurrent: 2,
      maxPerMinute: 60,
      maxQueued: 100,
    });
    const refused = monitoringConfSchema.safeParse({
      slos: [{ name: 'faith', kind: 'online_metric', metric: 'faithfulness', min: 0.9 }],
      onlineEvaluation: { sampleRate: 1.5, metrics: ['answer_relevancy', 'answer_relevancy'], maxConcurrent: 0 },
    });
    expect(refused.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'onlineEvaluation.sampleRate',
      'onlineEvaluation.maxConcurrent',
      'onlineEvaluation.metrics.1',
      'slos.0.metric',
    ]);
    const unscored = monitoringConfSchema.safeParse({
      slos: [{ name: 'faith', kind: 'online_metric', metric: 'faithfulness', min: 0.9 }],
      onlineEvaluation: { sampleRate: 1, metrics: ['answer_relevancy', 'answer_relevancy'] },
    });
    expect(unscored.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['onlineEvaluation.metrics.1', 'metric "answer_relevancy" listed twice'],
      [
        'slos.0.metric',
        'metric "faithfulness" is not scored online (onlineEvaluation.metrics: answer_relevancy, answer_relevancy)',
      ],
    ]);
  });
});
