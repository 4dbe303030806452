import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { alertsConfigSchema, buildEventDriftReport, openAlertStore, SqliteEventStore } from '@llmops/monitoring';
import type { EventDriftReport } from '@llmops/monitoring';
import { createRegistry, createRegistryStore } from '@llmops/registry';
import { servedKettleHelp } from '../__fixtures__/kettle-workspace.js';
import { alertSignalsOf } from './model-watch.js';
import { openMonitoringAlerts } from './monitoring-alerts.js';

/** Answered from the knowledge base: the warranty article, the support article. */
const answeredWarranty = [
  'Is limescale damage covered by the warranty?',
  'How long is the warranty on the heating element?',
];
const answeredSupport = ['When does support answer by chat?', 'Does support answer by chat on weekdays?'];
/** About the warranty (retrieval ranks warranty.md first), but the article does not say: the model refuses. */
const unansweredWarranty = [
  'Does the warranty cover a cracked lid?',
  'Is the kettle warranty valid in Japan?',
  'Who pays shipping for a warranty repair?',
  'Can I buy a replacement warranty certificate?',
];

function feature(report: EventDriftReport, name: string) {
  return report.features.find((candidate) => candidate.name === name);
}

describe('unanswered topics of served traffic (kettle workspace, official openai client, real SQLite)', () => {
  it('sees topic and cited_source drift and an unanswered topic, and fires the rehearsed rebuild rule', async () => {
    const { cwd, running } = await servedKettleHelp({
      prefix: 'llmops-topics-',
      monitoring: { flushIntervalMs: 100 },
    });
    const client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const ask = async (questions: readonly string[], count: number) => {
      for (let index = 0; index < count; index += 1) {
        await client.chat.completions.create({
          model: 'kettle-help@champion',
          messages: [{ role: 'user', content: questions[index % questions.length] as string }],
        });
      }
    };
    const store = new SqliteEventStore({ path: join(cwd, '.llmops', 'llmops.db') });
    try {
      // The reference window: mostly support questions, every one answered.
      const start = Date.now() - 1;
      await ask(answeredWarranty, 10);
      await ask(answeredSupport, 30);
      await running.monitoring.queue.flush();
      const boundary = Date.now() + 1;
      await sleep(5);
      // The current window: mostly warranty questions the article cannot answer, and a few support questions.
      await ask(unansweredWarranty, 30);
      await ask(answeredSupport, 10);
      await running.monitoring.queue.flush();
      const end = Date.now();

      const stored = await store.list({ since: start });
      expect(stored).toHaveLength(80);
      expect(stored[0]).toMatchObject({ topic: 'warranty.md', citedSources: ['warranty.md'], refused: false });
      expect(stored[40]).toMatchObject({ topic: 'warranty.md', citedSources: [], refused: true });

      const drift = await buildEventDriftReport(store, {
        reference: { kind: 'window', windowMs: boundary - start },
        currentWindowMs: end - boundary,
        modelName: 'kettle-help',
        clock: { now: () => end, monotonic: () => 0 },
      });
      expect([drift.reference, drift.current]).toMatchObject([{ events: 40 }, { events: 40 }]);
      // Topics 10/30 against 30/10: chi-square on a 2 × 2 table (Yates-corrected).
      expect(feature(drift, 'topic')).toMatchObject({
        method: 'chi_square',
        referenceSize: 40,
        currentSize: 40,
        verdict: 'drift',
      });
      // Cited sources: warranty.md 10, support.md 30 against support.md 10, none 30.
      expect(feature(drift, 'cited_source')).toMatchObject({ referenceSize: 40, currentSize: 40, verdict: 'drift' });
      expect(drift.unansweredTopics).toMatchObject({
        examinedTopics: 2,
        topics: [
          {
            topic: 'warranty.md',
            currentEvents: 30,
            currentRefused: 30,
            referenceEvents: 10,
            referenceRefused: 0,
            basis: 'topic',
          },
        ],
      });
      expect(drift.unansweredTopics?.topics[0]?.pValue).toBeLessThan(1e-6);

      // The monitor job's signals, and a rehearsed rule that would rebuild the champion.
      const signals = alertSignalsOf({ slo: null, drift, corpus: null }, 'kettle-help', end);
      const topics = signals.find((signal) => signal.name === 'unanswered_topics');
      expect(topics).toMatchObject({ source: 'topics', breached: true, value: 1, model: 'kettle-help' });
      writeFileSync(join(cwd, 'kettle-qa.jsonl'), `${JSON.stringify({ id: 'q1', input: answeredWarranty[0] })}\n`);
      const warnings: unknown[] = [];
      const alerts = openMonitoringAlerts({
        config: alertsConfigSchema.parse({
          reevaluation: { dataset: 'kettle-qa.jsonl' },
          rules: [{ name: 'unanswered-topics-rebuild', when: 'unanswered_topics', actions: ['rebuild'], dryRun: true }],
        }),
        storeUri: 'sqlite:.llmops/llmops.db',
        cwd,
        env: {},
        registry: createRegistry({ store: createRegistryStore('sqlite:.llmops/llmops.db', { cwd }), actor: 'test' }),
        judge: 'offline',
        logger: { warn: (object) => warnings.push(object) },
      });
      try {
        const fired = await alerts.engine.evaluate(signals);
        await alerts.engine.idle();
        expect(fired).toHaveLength(1);
        expect(fired[0]?.record).toMatchObject({
          rule: 'unanswered-topics-rebuild',
          model: 'kettle-help',
          dryRun: true,
          signal: { source: 'topics', name: 'unanswered_topics', details: { topics: [{ topic: 'warranty.md' }] } },
        });
      } finally {
        await alerts.close();
      }
      const alertStore = openAlertStore('sqlite:.llmops/llmops.db', { cwd });
      const [record] = await alertStore.list({ since: 0 });
      alertStore.close();
      expect(record?.status).toBe('done');
      expect(record?.actions).toEqual([
        expect.objectContaining({ action: 'rebuild', status: 'dry_run', reason: expect.stringContaining('would') }),
      ]);
      // Rehearsed: nothing registered, the champion is still version 1.
      const registry = createRegistry({
        store: createRegistryStore('sqlite:.llmops/llmops.db', { cwd }),
        actor: 'test',
      });
      expect(await registry.getModel('kettle-help')).toMatchObject({ latestVersion: 1, aliases: { champion: 1 } });
    } finally {
      store.close();
      await running.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});
