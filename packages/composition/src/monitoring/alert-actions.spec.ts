import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvaluationService, openEvaluationStore, standardReportArtifacts } from '@llmops/evaluation';
import {
  AlertEngine,
  alertsConfigSchema,
  createNotifierFactory,
  openAlertStore,
  signalOfSlo,
} from '@llmops/monitoring';
import { createRegistry, createRegistryStore } from '@llmops/registry';
import { createServedModelTargets } from '../evaluation/served-model-target.js';
import { createAlertActions } from './alert-actions.js';

/** The one item of a list (fails the test when it holds another number). */
function onlyOne<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

const workspaceRoot = join(__dirname, '..', '..', '..', '..');
const storeUri = 'sqlite:.llmops/llmops.db';

/** The shipped baseline RAG model, written as a spec (version 1). */
const baseline = {
  name: 'support-rag',
  provider: 'offline/extractive',
  params: { temperature: 0, max_tokens: 256 },
  pipeline: {
    kind: 'rag',
    prompt: 'support-answer@latest',
    corpus: 'confs/data/kb/',
    tokenBudget: 1000,
    retrieval: { k: 3 },
  },
  guardrails: 'default',
};
/** Version 2: released with the wrong corpus (the skerry manual), so its retrieval misses the help center. */
const wrongCorpus = { ...baseline, pipeline: { ...baseline.pipeline, corpus: 'confs/data/manual/' } };

describe('an alert that re-evaluates the champion and rolls it back (composition, real stores)', () => {
  it('re-evaluates a champion that fails its gate, rolls it back to the previous champion (audited), then keeps the one that passes', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmops-alert-actions-'));
    cpSync(join(workspaceRoot, 'confs'), join(cwd, 'confs'), { recursive: true });
    // A small promotion dataset (the help center's first questions) and one gate.
    const questions = readFileSync(join(cwd, 'confs/data/eval/support-qa.jsonl'), 'utf8').trim().split('\n');
    writeFileSync(join(cwd, 'small-qa.jsonl'), `${questions.slice(0, 8).join('\n')}\n`);
    writeFileSync(join(cwd, 'small-gates.yaml'), 'gates:\n  - hit_rate_at_5.mean >= 0.5\n');

    const registry = createRegistry({ store: createRegistryStore(storeUri, { cwd }), actor: 'test' });
    const evaluationStore = openEvaluationStore({ storeUri, cwd, env: {} });
    const alertStore = openAlertStore(storeUri, { cwd });
    try {
      await registry.registerPrompt({
        name: 'support-answer',
        template: readFileSync(join(cwd, 'confs/prompts/support-answer.txt'), 'utf8'),
      });
      await registry.registerModel({ spec: baseline });
      await registry.registerModel({ spec: wrongCorpus });
      await registry.promote({ name: 'support-rag', version: 1, force: true, reason: 'first release' });
      await registry.promote({ name: 'support-rag', version: 2, force: true, reason: 'hotfix, evaluated later' });

      const actions = createAlertActions({
        registry,
        judge: 'offline',
        concurrency: 2,
        evaluation: {
          service: new EvaluationService({
            tracker: evaluationStore.tracker,
            cache: evaluationStore.cache,
            artifacts: standardReportArtifacts,
          }),
          cwd,
          env: {},
          endpointKeys: false,
          confineFiles: true,
          modelTarget: createServedModelTargets({ registry, cwd, env: {} }),
        },
      });
      const config = alertsConfigSchema.parse({
        reevaluation: { dataset: 'small-qa.jsonl', gates: 'small-gates.yaml' },
        rules: [
          {
            name: 'relevancy-breach',
            when: 'slo:contextual_relevancy',
            model: 'support-rag',
            notify: ['file .llmops/alerts.jsonl'],
            actions: ['reevaluate', 'rollback'],
            cooldownSeconds: 0,
          },
        ],
      });
      const engine = new AlertEngine({
        config,
        store: alertStore,
        notifierFor: createNotifierFactory({ logger: { warn: () => undefined }, root: cwd, webhook: config.webhook }),
        ...actions,
      });

      const fired = onlyOne(
        await engine.evaluate([
          signalOfSlo({ name: 'contextual_relevancy', breached: true, value: 0.82, threshold: 0.9 }),
        ]),
      );
      const record = await fired.done;

      const [reevaluated, rolledBack] = record.actions;
      expect(reevaluated).toMatchObject({
        action: 'reevaluate',
        status: 'done',
        result: {
          model: 'support-rag',
          evaluations: [
            {
              alias: 'champion',
              version: 2,
              gatePassed: false,
              failedCriteria: [expect.stringMatching(/^hit_rate_at_5/)],
            },
            { alias: 'challenger', version: null, runId: null },
          ],
        },
      });
      expect(rolledBack).toMatchObject({
        action: 'rollback',
        status: 'done',
        result: { model: 'support-rag', alias: 'champion', fromVersion: 2, toVersion: 1 },
      });
      expect((await registry.resolveModel('support-rag@champion')).version).toBe(1);

      // The registry's audit log keeps the rollback, with the alert as its reason; the run is in the tracker.
      const audit = await registry.audit('model', 'support-rag');
      expect(audit.filter((entry) => entry.action === 'rollback' && entry.alias === 'champion')).toEqual([
        expect.objectContaining({
          fromVersion: 2,
          toVersion: 1,
          actor: 'monitoring-alerts',
          reason: expect.stringContaining(
            `alert ${record.id} (rule relevancy-breach): champion support-rag/2 failed its gate`,
          ),
        }),
      ]);
      const runId = reevaluated?.action === 'reevaluate' ? reevaluated.result?.evaluations[0]?.runId : undefined;
      const run = await evaluationStore.tracker.get(String(runId));
      expect(run.tags).toMatchObject({ 'llmops.purpose': 'alert-reevaluation', 'llmops.alias': 'champion' });

      // The alert is stored with its outcomes, and the file notifier wrote it.
      expect(await alertStore.list({ since: 0 })).toEqual([record]);
      expect(record.notifications).toEqual([
        { channel: 'file', target: '.llmops/alerts.jsonl', status: 'sent', attempts: 1 },
      ]);
      const line = JSON.parse(readFileSync(join(cwd, '.llmops/alerts.jsonl'), 'utf8'));
      expect(line).toMatchObject({ id: record.id, rule: 'relevancy-breach', model: 'support-rag' });

      // The same breach again: now the champion (version 1) passes its gate, so the policy keeps it.
      const again = onlyOne(
        await engine.evaluate([
          signalOfSlo({ name: 'contextual_relevancy', breached: true, value: 0.82, threshold: 0.9 }),
        ]),
      );
      const second = await again.done;
      expect(second.actions).toMatchObject([
        {
          action: 'reevaluate',
          status: 'done',
          result: { evaluations: [{ alias: 'champion', version: 1, gatePassed: true }, {}] },
        },
        {
          action: 'rollback',
          status: 'skipped',
          reason: expect.stringContaining('champion support-rag/1 passed its gate'),
        },
      ]);
      expect((await registry.resolveModel('support-rag@champion')).version).toBe(1);
    } finally {
      alertStore.close();
      evaluationStore.close();
      await registry.close();
    }
  }, 120_000);
});
