import { ManualClock } from '@llmops/kernel';
import { SqliteAlertStore } from '../../adapters/sqlite/sqlite-alert-store.js';
import type { ReevaluationOutcome } from '../../domain/alerts/alert-record.js';
import type { AlertSignal } from '../../domain/alerts/alert-signal.js';
import { alertsConfigSchema } from '../../domain/alerts/alerts-config.js';
import type { AlertsConfig } from '../../domain/alerts/alerts-config.js';
import { AlertEngine } from './alert-engine.js';
import type { AlertNotifier, AlertPayload, ReEvaluationPort, RollbackPort } from './alert-ports.js';

/** The one item of a list (fails the test when it holds another number). */
function onlyOne<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

function signal(name: string, overrides: Partial<AlertSignal> = {}): AlertSignal {
  return { source: 'slo', name, breached: true, value: 812, threshold: 500, window: null, details: {}, ...overrides };
}

class RecordingNotifier implements AlertNotifier {
  readonly channel = 'log' as const;
  readonly target = 'log';
  readonly sent: AlertPayload[] = [];
  async send(payload: AlertPayload) {
    this.sent.push(payload);
    return { status: 'sent' as const, attempts: 1 };
  }
}

/** A re-evaluation whose champion (version 2) passed or failed its gate on each dataset; no challenger. */
function reevaluationOf(championPassed: Record<string, boolean>): ReevaluationOutcome {
  const datasets = Object.keys(championPassed);
  return {
    model: 'support-rag',
    datasets,
    evaluations: datasets.flatMap((dataset, index) => {
      const passed = championPassed[dataset] === true;
      return [
        {
          alias: 'champion',
          dataset,
          version: 2,
          runId: `run-${index + 2}`,
          gatePassed: passed,
          failedCriteria: passed ? [] : ['answer_rate.mean >= 0.9 (was 0.1)'],
        },
        { alias: 'challenger', dataset, version: null, runId: null, gatePassed: null, failedCriteria: [] },
      ];
    }),
  };
}

interface Harness {
  engine: AlertEngine;
  store: SqliteAlertStore;
  clock: ManualClock;
  notifier: RecordingNotifier;
  reevaluations: Array<Parameters<ReEvaluationPort['reevaluate']>[0]>;
  rollbacks: Array<Parameters<RollbackPort['rollback']>[0]>;
}

function harness(
  config: unknown,
  ports: {
    championPassed?: boolean | Record<string, boolean>;
    reevaluationFails?: boolean;
    notifier?: AlertNotifier;
  } = {},
): Harness {
  const parsed: AlertsConfig = alertsConfigSchema.parse(config);
  const store = new SqliteAlertStore({ path: ':memory:' });
  const clock = new ManualClock(1_700_000_000_000);
  const notifier = new RecordingNotifier();
  const reevaluations: Harness['reevaluations'] = [];
  const rollbacks: Harness['rollbacks'] = [];
  let counter = 0;
  const engine = new AlertEngine({
    config: parsed,
    store,
    clock,
    newId: () => `alert-${(counter += 1)}`,
    notifierFor: () => ports.notifier ?? notifier,
    reevaluation: {
      reevaluate: async (request) => {
        reevaluations.push(request);
        if (ports.reevaluationFails) throw new Error('dataset qa.jsonl not found');
        const passed = ports.championPassed ?? false;
        return reevaluationOf(typeof passed === 'boolean' ? { 'qa.jsonl': passed } : passed);
      },
    },
    rollback: {
      rollback: async (request) => {
        rollbacks.push(request);
        return { model: request.model, alias: request.alias, fromVersion: 2, toVersion: 1 };
      },
    },
  });
  return { engine, store, clock, notifier, reevaluations, rollbacks };
}

afterEach(() => jest.restoreAllMocks());

describe('AlertEngine: which breached signals fire', () => {
  const rule = (name: string, cooldownSeconds: number) => ({ name, when: 'slo:latency_p95', cooldownSeconds });
  it.each<[string, object[], Array<{ afterSeconds: number; signals: AlertSignal[] }>, number[]]>([
    [
      'a signal inside its cool-down is quiet; after it, it fires again',
      [rule('latency', 60)],
      [
        { afterSeconds: 0, signals: [signal('latency_p95')] },
        { afterSeconds: 30, signals: [signal('latency_p95')] },
        { afterSeconds: 31, signals: [signal('latency_p95')] },
      ],
      [1, 0, 1],
    ],
    [
      'the same signal twice in one call fires once',
      [rule('latency', 0)],
      [{ afterSeconds: 0, signals: [signal('latency_p95'), signal('latency_p95')] }],
      [1],
    ],
    [
      'a cool-down of 0 fires on every call',
      [rule('latency', 0)],
      [
        { afterSeconds: 0, signals: [signal('latency_p95')] },
        { afterSeconds: 1, signals: [signal('latency_p95')] },
      ],
      [1, 1],
    ],
    [
      'a signal that is not breached never fires',
      [rule('latency', 0)],
      [{ afterSeconds: 0, signals: [signal('latency_p95', { breached: false })] }],
      [0],
    ],
    [
      'the same SLO of two models is two signals, each with its own cool-down',
      [rule('latency', 600)],
      [
        { afterSeconds: 0, signals: [signal('latency_p95', { model: 'a' }), signal('latency_p95', { model: 'b' })] },
        { afterSeconds: 60, signals: [signal('latency_p95', { model: 'a' })] },
      ],
      [2, 0],
    ],
    [
      'two rules on one signal fire one alert each, each rule with its own cool-down',
      [rule('latency-page', 600), rule('latency-log', 30)],
      [
        { afterSeconds: 0, signals: [signal('latency_p95')] },
        { afterSeconds: 60, signals: [signal('latency_p95')] },
      ],
      [2, 1],
    ],
    [
      'a rule ignores the signals its `when` does not select',
      [rule('latency', 0), { name: 'drift', when: 'drift' }],
      [{ afterSeconds: 0, signals: [signal('error_rate'), signal('drift', { source: 'drift' })] }],
      [1],
    ],
  ])('%s', async (...row) => {
    const [, rules, calls, expected] = row;
    const { engine, store, clock } = harness({ rules });
    const counts: number[] = [];
    for (const call of calls) {
      clock.advance(call.afterSeconds * 1000);
      counts.push((await engine.evaluate(call.signals)).length);
    }
    await engine.idle();
    expect(counts).toEqual(expected);
    expect(await store.list({ since: 0 })).toHaveLength(expected.reduce((sum, count) => sum + count, 0));
  });
});

const actingConfig = {
  reevaluation: { dataset: 'qa.jsonl', gates: 'gates.yaml' },
  rules: [{ name: 'latency', when: 'slo:latency_p95', model: 'support-rag', actions: ['reevaluate', 'rollback'] }],
};

describe('AlertEngine: actions', () => {
  it('re-evaluates champion and challenger, and rolls the champion back when it failed its gate', async () => {
    const { engine, store, notifier, reevaluations, rollbacks } = harness(actingConfig, { championPassed: false });
    const fired = onlyOne(await engine.evaluate([signal('latency_p95')]));
    const record = await fired.done;
    expect(reevaluations).toEqual([
      {
        model: 'support-rag',
        aliases: ['champion', 'challenger'],
        datasets: [{ dataset: 'qa.jsonl', gates: 'gates.yaml' }],
        reason: 'alert alert-1 (rule latency, slo latency_p95)',
      },
    ]);
    expect(rollbacks).toEqual([
      {
        model: 'support-rag',
        alias: 'champion',
        reason: expect.stringContaining('champion support-rag/2 failed its gate on qa.jsonl (run run-2'),
      },
    ]);
    expect(record.actions.map((action) => [action.action, action.status])).toEqual([
      ['reevaluate', 'done'],
      ['rollback', 'done'],
    ]);
    expect(record.actions[1]).toMatchObject({ result: { fromVersion: 2, toVersion: 1 } });
    expect(notifier.sent.map((payload) => payload.actions)).toEqual([['reevaluate', 'rollback']]);
    const stored = onlyOne(await store.list({ since: 0 }));
    expect(stored).toEqual(record);
    expect(stored.status).toBe('done');
  });

  it('keeps the champion when it passed its gate, and says why', async () => {
    const { engine, rollbacks } = harness(actingConfig, { championPassed: true });
    const record = await onlyOne(await engine.evaluate([signal('latency_p95')])).done;
    expect(rollbacks).toEqual([]);
    expect(record.actions[1]).toEqual({
      action: 'rollback',
      status: 'skipped',
      reason: 'champion support-rag/2 passed its gate on qa.jsonl (run run-2)',
    });
  });

  it('rolls the champion back when it failed its gate on one dataset of several, as promotion would refuse it', async () => {
    const { engine, reevaluations, rollbacks } = harness(
      {
        ...actingConfig,
        reevaluation: [
          { dataset: 'support-qa.jsonl', gates: 'gates.yaml' },
          { dataset: 'manual-qa.jsonl', gates: 'gates.yaml', corpus: 'confs/data/manual/' },
        ],
      },
      { championPassed: { 'support-qa.jsonl': true, 'manual-qa.jsonl': false } },
    );
    const record = await onlyOne(await engine.evaluate([signal('latency_p95')])).done;
    expect(reevaluations[0]?.datasets).toEqual([
      { dataset: 'support-qa.jsonl', gates: 'gates.yaml' },
      { dataset: 'manual-qa.jsonl', gates: 'gates.yaml', corpus: 'confs/data/manual/' },
    ]);
    expect(record.actions[0]).toMatchObject({
      action: 'reevaluate',
      status: 'done',
      reason:
        'on support-qa.jsonl: champion support-rag/2 passed its gate (run run-2); no challenger | on manual-qa.jsonl: champion support-rag/2 failed its gate (run run-3); no challenger',
    });
    expect(rollbacks).toEqual([
      expect.objectContaining({
        reason: expect.stringContaining(
          'champion support-rag/2 failed its gate on manual-qa.jsonl (run run-3: answer_rate.mean >= 0.9 (was 0.1))',
        ),
      }),
    ]);
  });

  it('keeps the champion that passed its gate on every dataset', async () => {
    const { engine, rollbacks } = harness(
      { ...actingConfig, reevaluation: [{ dataset: 'a.jsonl', gates: 'g.yaml' }, { dataset: 'b.jsonl' }] },
      { championPassed: { 'a.jsonl': true, 'b.jsonl': true } },
    );
    const record = await onlyOne(await engine.evaluate([signal('latency_p95')])).done;
    expect(rollbacks).toEqual([]);
    expect(record.actions[1]).toEqual({
      action: 'rollback',
      status: 'skipped',
      reason: 'champion support-rag/2 passed its gate on a.jsonl (run run-2), b.jsonl (run run-3)',
    });
  });

  it('records a failed re-evaluation and then does not roll back', async () => {
    const { engine, rollbacks } = harness(actingConfig, { reevaluationFails: true });
    const record = await onlyOne(await engine.evaluate([signal('latency_p95')])).done;
    expect(rollbacks).toEqual([]);
    expect(record.actions.map((action) => [action.status, action.reason])).toEqual([
      ['failed', 'dataset qa.jsonl not found'],
      ['skipped', 'the champion was not re-evaluated in this alert, so nothing shows it is worse'],
    ]);
  });

  it('skips the actions when neither the signal nor the rule names a model', async () => {
    const { engine, reevaluations } = harness({
      reevaluation: { dataset: 'qa.jsonl' },
      rules: [{ name: 'drift', when: 'drift', actions: ['reevaluate'] }],
    });
    const record = await onlyOne(await engine.evaluate([signal('drift', { source: 'drift' })])).done;
    expect(reevaluations).toEqual([]);
    expect(record.actions).toEqual([
      {
        action: 'reevaluate',
        status: 'skipped',
        reason: 'no model to act on: the signal names none and the rule sets none',
      },
    ]);
  });
});

describe('AlertEngine: dry-run', () => {
  it('decides and records what would be done, and sends and does nothing', async () => {
    const { engine, store, notifier, reevaluations, rollbacks } = harness({
      ...actingConfig,
      dryRun: true,
      rules: [{ ...actingConfig.rules[0], notify: ['log', 'webhook http://127.0.0.1:9/hook'] }],
    });
    const fired = onlyOne(await engine.evaluate([signal('latency_p95')]));
    await engine.idle();
    expect([notifier.sent, reevaluations, rollbacks]).toEqual([[], [], []]);
    const stored = onlyOne(await store.list({ since: 0 }));
    expect(stored).toEqual(fired.record);
    expect(stored).toMatchObject({
      dryRun: true,
      status: 'done',
      notifications: [
        { channel: 'log', status: 'dry_run', attempts: 0 },
        { channel: 'webhook', status: 'dry_run', attempts: 0 },
      ],
      actions: [
        {
          action: 'reevaluate',
          status: 'dry_run',
          reason: 'would re-evaluate support-rag@champion and support-rag@challenger on qa.jsonl against gates.yaml',
        },
        {
          action: 'rollback',
          status: 'dry_run',
          reason:
            'would roll support-rag@champion back to previous-champion if the champion fails its gate on at least one dataset',
        },
      ],
    });
  });
  it('never lets a rehearsal silence the live alert that follows it within the cool-down', async () => {
    const rehearsal = harness({ ...actingConfig, dryRun: true });
    expect(onlyOne(await rehearsal.engine.evaluate([signal('latency_p95')])).record.dryRun).toBe(true);
    const live = new AlertEngine({
      config: alertsConfigSchema.parse(actingConfig),
      store: rehearsal.store,
      clock: rehearsal.clock,
      notifierFor: () => rehearsal.notifier,
      reevaluation: { reevaluate: async () => reevaluationOf({ 'qa.jsonl': true }) },
      rollback: { rollback: async () => ({ model: 'support-rag', alias: 'champion', fromVersion: 2, toVersion: 1 }) },
    });
    const fired = onlyOne(await live.evaluate([signal('latency_p95')]));
    await live.idle();
    expect(fired.record.dryRun).toBe(false);
    expect(await live.evaluate([signal('latency_p95')])).toEqual([]);
  });

  it('rehearses one rule marked dryRun while the others notify and act, and the section dryRun cannot be undone by a rule', async () => {
    const { engine, notifier, reevaluations, rollbacks } = harness({
      ...actingConfig,
      rules: [
        { name: 'latency', when: 'slo:latency_p95', notify: ['log'] },
        { ...actingConfig.rules[0], name: 'drift-rollback', when: 'drift', dryRun: true },
      ],
    });
    const fired = await engine.evaluate([signal('latency_p95'), signal('drift', { source: 'drift' })]);
    await engine.idle();
    expect(fired.map((alert) => [alert.record.rule, alert.record.dryRun])).toEqual([
      ['latency', false],
      ['drift-rollback', true],
    ]);
    expect(notifier.sent.map((payload) => payload.rule)).toEqual(['latency']);
    expect([reevaluations, rollbacks]).toEqual([[], []]);

    const section = harness({ ...actingConfig, dryRun: true, rules: [{ ...actingConfig.rules[0], dryRun: false }] });
    const rehearsed = onlyOne(await section.engine.evaluate([signal('latency_p95')]));
    await section.engine.idle();
    expect(rehearsed.record.dryRun).toBe(true);
    expect([section.notifier.sent, section.reevaluations, section.rollbacks]).toEqual([[], [], []]);
  });
});

describe('AlertEngine: off the caller path', () => {
  it('answers with the alert recorded as pending while its notification is still on its way', async () => {
    let release: () => void = () => undefined;
    const slow: AlertNotifier = {
      channel: 'webhook',
      target: 'http://127.0.0.1:1',
      send: () => new Promise((resolve) => (release = () => resolve({ status: 'sent', attempts: 1 }))),
    };
    const { engine, store } = harness({ rules: [{ name: 'latency', when: 'slo:latency_p95' }] }, { notifier: slow });
    const fired = onlyOne(await engine.evaluate([signal('latency_p95')]));
    expect(fired.record).toMatchObject({ status: 'pending', notifications: [{ status: 'pending', attempts: 0 }] });
    expect((await store.list({ since: 0 }))[0]).toMatchObject({ status: 'pending' });
    release();
    expect(await fired.done).toMatchObject({ status: 'done', notifications: [{ status: 'sent', attempts: 1 }] });
    expect((await store.list({ since: 0 }))[0]).toMatchObject({ status: 'done' });
  });
});
