import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EvaluationService,
  openEvaluationStore,
  standardReportArtifacts,
  TrackedEvaluationEvidence,
} from '@llmops/evaluation';
import {
  AlertEngine,
  alertsConfigSchema,
  createNotifierFactory,
  decideRollback,
  openAlertStore,
  signalOfSlo,
} from '@llmops/monitoring';
import { createRegistry, createRegistryStore, parsePromotionPolicy } from '@llmops/registry';
import { readCorpusRecord } from '../registry/corpus-record.js';
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

/** A temp workspace with the shipped confs, the support prompt, and small help-center and manual datasets. */
async function smallWorkspace(prefix: string) {
  const cwd = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(workspaceRoot, 'confs'), join(cwd, 'confs'), { recursive: true });
  const firstLines = (file: string, count: number) =>
    `${readFileSync(join(cwd, file), 'utf8').trim().split('\n').slice(0, count).join('\n')}\n`;
  writeFileSync(join(cwd, 'small-qa.jsonl'), firstLines('confs/data/eval/support-qa.jsonl', 8));
  writeFileSync(join(cwd, 'small-manual-qa.jsonl'), firstLines('confs/data/eval/manual-qa.jsonl', 8));
  writeFileSync(join(cwd, 'small-gates.yaml'), 'gates:\n  - hit_rate_at_5.mean >= 0.5\n');
  const evaluationStore = openEvaluationStore({ storeUri, cwd, env: {} });
  // The registry finds promotion evidence in the evaluation store, as the apps wire it.
  const registry = createRegistry({
    store: createRegistryStore(storeUri, { cwd }),
    actor: 'test',
    evidence: new TrackedEvaluationEvidence(evaluationStore.tracker),
  });
  await registry.registerPrompt({
    name: 'support-answer',
    template: readFileSync(join(cwd, 'confs/prompts/support-answer.txt'), 'utf8'),
  });
  const evaluation = {
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
  };
  return {
    cwd,
    registry,
    evaluationStore,
    evaluation,
    close: async () => {
      evaluationStore.close();
      await registry.close();
    },
  };
}

const bothDatasets = [
  { dataset: 'small-qa.jsonl', gates: 'small-gates.yaml' },
  { dataset: 'small-manual-qa.jsonl', gates: 'small-gates.yaml', corpus: 'confs/data/manual/' },
];

describe('a re-evaluation on several datasets, each over its own corpus (composition, real stores)', () => {
  it('runs the champion on each dataset, records each gate, and rolls back when it failed on one of them', async () => {
    const workspace = await smallWorkspace('llmops-alert-datasets-');
    try {
      const { registry } = workspace;
      await registry.registerModel({ spec: baseline });
      await registry.registerModel({ spec: wrongCorpus });
      await registry.promote({ name: 'support-rag', version: 1, force: true, reason: 'first release' });
      await registry.promote({ name: 'support-rag', version: 2, force: true, reason: 'hotfix, evaluated later' });
      const actions = createAlertActions({
        registry,
        judge: 'offline',
        concurrency: 2,
        evaluation: workspace.evaluation,
      });

      // Version 2 reads the manual: it fails on the help center, and passes on the manual's questions over the manual.
      const outcome = await actions.reevaluation.reevaluate({
        model: 'support-rag',
        aliases: ['champion', 'challenger'],
        datasets: bothDatasets,
        reason: 'test',
      });
      expect(outcome).toMatchObject({
        model: 'support-rag',
        datasets: ['small-qa.jsonl', 'small-manual-qa.jsonl'],
        evaluations: [
          { alias: 'champion', dataset: 'small-qa.jsonl', version: 2, gatePassed: false },
          { alias: 'challenger', dataset: 'small-qa.jsonl', version: null, runId: null },
          {
            alias: 'champion',
            dataset: 'small-manual-qa.jsonl',
            corpus: 'confs/data/manual/',
            version: 2,
            gatePassed: true,
          },
          { alias: 'challenger', dataset: 'small-manual-qa.jsonl', version: null },
        ],
      });
      const manualRun = await workspace.evaluationStore.tracker.get(String(outcome.evaluations[2]?.runId));
      expect(manualRun.target).toMatchObject({ modelName: 'support-rag', modelVersion: '2' });
      expect(manualRun.target.params).toMatchObject({ corpus: 'confs/data/manual/' });

      expect(decideRollback(outcome)).toEqual({
        allowed: true,
        reason: expect.stringMatching(/^champion support-rag\/2 failed its gate on small-qa\.jsonl \(run /),
      });
      // A corpus outside the workspace is refused before anything runs.
      await expect(
        actions.reevaluation.reevaluate({
          model: 'support-rag',
          aliases: ['champion'],
          datasets: [{ dataset: 'small-qa.jsonl', corpus: '../elsewhere/' }],
          reason: 'test',
        }),
      ).rejects.toThrow('corpus ../elsewhere/ is outside the folder files are read from');
    } finally {
      await workspace.close();
    }
  }, 120_000);
});

describe('a rebuild that re-tunes retrieval.k on the promotion datasets (composition, real stores)', () => {
  it("tries each k on each dataset, registers the best by the policy's first criterion, records the trials, and promotes through the gate", async () => {
    const workspace = await smallWorkspace('llmops-rebuild-tune-');
    try {
      const { registry, cwd } = workspace;
      cpSync(join(cwd, 'confs/data/kb'), join(cwd, 'kb'), { recursive: true });
      const tunable = {
        ...baseline,
        pipeline: { ...baseline.pipeline, corpus: 'kb/', retrieval: { k: 3, tune: { k: [1, 8] } } },
      };
      await registry.registerModel({
        spec: tunable,
        corpus: await readCorpusRecord('kb/', { cwd }),
      });
      await registry.promote({ name: 'support-rag', version: 1, force: true, reason: 'first release' });
      appendFileSync(join(cwd, 'kb/changing-plans.md'), '\n\nPlans can now be changed once a day.\n');

      const policy = parsePromotionPolicy({
        name: 'lenient',
        dataset: ['small-qa', 'small-manual-qa'],
        criteria: ['contextual_relevancy.mean >= 0', 'harmful_rate == 0'],
      });
      const actions = createAlertActions({
        registry,
        judge: 'offline',
        concurrency: 2,
        evaluation: workspace.evaluation,
        promotionPolicy: policy,
      });
      const outcome = await actions.rebuild.rebuild({
        model: 'support-rag',
        datasets: bothDatasets,
        reason: 'alert x',
      });

      // Each value (the tune list, then the spec's own 3) on each dataset; the score is the worse dataset's.
      const tuning = outcome.tuning;
      expect(tuning?.trials.map((trial) => trial.value)).toEqual([1, 8, 3]);
      expect(tuning).toMatchObject({ setting: 'retrieval.k', metric: 'contextual_relevancy.mean', specValue: 3 });
      for (const trial of tuning?.trials ?? []) {
        const scores = Object.values(trial.scores) as number[];
        expect(Object.keys(trial.scores)).toEqual(['small-qa.jsonl', 'small-manual-qa.jsonl']);
        expect(trial.score).toBe(Math.min(...scores));
      }
      const best = Math.max(...(tuning?.trials.map((trial) => trial.score as number) ?? []));
      expect(tuning?.trials.find((trial) => trial.value === tuning.chosen)?.score).toBe(best);

      // The trial runs belong to no registered version: never promotion evidence, tagged with their value.
      const trialRun = await workspace.evaluationStore.tracker.get(String(tuning?.trials[0]?.runIds['small-qa.jsonl']));
      expect(trialRun.target).not.toHaveProperty('modelName');
      expect(trialRun.target.params).toMatchObject({ 'retrieval.k': '1' });
      expect(trialRun.tags).toMatchObject({ 'llmops.purpose': 'rebuild-tuning', 'llmops.tune.value': '1' });

      // The registered challenger has the chosen k and records the trials; it keeps `tune` for the next rebuild.
      const rebuilt = await registry.showModel(`support-rag/${outcome.version}`);
      expect(rebuilt.spec.pipeline).toMatchObject({ retrieval: { k: tuning?.chosen, tune: { k: [1, 8] } } });
      expect(rebuilt.spec.tags).toMatchObject({
        'tuned.setting': 'retrieval.k',
        'tuned.value': String(tuning?.chosen),
        'tuned.metric': 'contextual_relevancy.mean',
        'tuned.trials': expect.stringContaining('(chosen)'),
      });
      expect(rebuilt.spec.description).toContain(`Rebuilt with retrieval.k = ${tuning?.chosen}`);
      expect(outcome.evaluations.map((evaluation) => [evaluation.dataset, evaluation.version])).toEqual([
        ['small-qa.jsonl', outcome.version],
        ['small-manual-qa.jsonl', outcome.version],
      ]);
      // Promoted only through the gate (the lenient policy passes on both datasets' evidence), audited with the trials.
      expect(outcome.promotion).toMatchObject({ promoted: true });
      expect((await registry.resolveModel('support-rag@champion')).version).toBe(outcome.version);
      const audit = await registry.audit('model', 'support-rag');
      const set = audit.find((entry) => entry.alias === 'challenger' && entry.toVersion === outcome.version);
      expect(set?.reason).toContain('Retrieval re-tuned: retrieval.k by contextual_relevancy.mean (worst dataset) 1: ');
      const promoted = audit.find((entry) => entry.action === 'promote' && entry.alias === 'champion');
      expect(promoted?.reason).toContain('(chosen)');
    } finally {
      await workspace.close();
    }
  }, 240_000);
});
