import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { LlmopsError, ManualClock } from '@llmops/kernel';
import type { ErrorCode } from '@llmops/kernel';
import { createRegistry } from '../application/registry.js';
import type { Registry } from '../application/registry.js';
import { parsePromotionPolicy } from '../domain/promotion-policy.js';
import type { RegistryStore } from '../ports.js';
import { InMemoryEvaluationEvidence } from './in-memory-evaluation-evidence.js';

/** Makes a store for one conformance case (a new one each time; it may share a server or file). */
export type RegistryStoreFactory = () => Promise<RegistryStore> | RegistryStore;

/** One case of the conformance suite: a name and a run that throws (an AssertionError) when the store misbehaves. */
export interface ConformanceCase {
  name: string;
  run: () => Promise<void>;
}

/** What every case is given. */
interface CaseContext {
  store: RegistryStore;
  registry: Registry;
  evidence: InMemoryEvaluationEvidence;
  clock: ManualClock;
  /** A name unique to this case (stores may be shared between cases, MLflow servers always are). */
  unique: (base: string) => string;
}

/**
 * Asserts that `promise` rejects with an LlmopsError of `code` (and a message matching `pattern`).
 * @returns the error, for further checks.
 */
export async function assertRejectsWith(
  promise: Promise<unknown>,
  code: ErrorCode,
  pattern?: RegExp,
): Promise<LlmopsError> {
  let outcome: unknown;
  try {
    await promise;
  } catch (error) {
    outcome = error;
  }
  assert.ok(outcome !== undefined, `expected an LlmopsError "${code}", but the call succeeded`);
  assert.ok(LlmopsError.isInstance(outcome), `expected an LlmopsError "${code}", got ${String(outcome)}`);
  assert.equal(outcome.code, code, `expected code ${code}, got ${outcome.code}: ${outcome.message}`);
  if (pattern) assert.match(outcome.message, pattern);
  return outcome;
}

const policy = parsePromotionPolicy({
  name: 'conformance',
  dataset: 'golden',
  criteria: ['contextual_relevancy.mean >= 0.9', 'faithfulness.mean >= 0.9', 'harmful_rate == 0', 'latency.p95 <= 500'],
  notWorseThanChampion: [{ metric: 'contextual_relevancy.mean', by: 0.02 }],
});

const goodMetrics = {
  'contextual_relevancy.mean': 0.93,
  'faithfulness.mean': 0.95,
  harmful_rate: 0,
  'latency.p95': 120,
};

function ragSpec(name: string, prompt: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    description: 'answers support questions from the knowledge base',
    provider: 'offline/extractive',
    pipeline: { kind: 'rag', prompt, corpus: 'confs/data/kb/', retrieval: { k: 4 } },
    ...extra,
  };
}

async function withPromptAndModel(context: CaseContext, options: { versions: number }) {
  const prompt = context.unique('answer');
  const model = context.unique('bot');
  await context.registry.registerPrompt({ name: prompt, template: 'Context: {{context}}\nQuestion: {{question}}' });
  for (let index = 1; index <= options.versions; index += 1) {
    await context.registry.registerModel({ spec: ragSpec(model, prompt, { params: { temperature: 0, seed: index } }) });
  }
  return { prompt, model };
}

function pass(
  context: CaseContext,
  subject: { model: string; version: number },
  metrics: Record<string, number> = goodMetrics,
) {
  const runId = `run${randomBytes(6).toString('hex')}`;
  context.evidence.record(subject, { runId, dataset: 'golden', metrics, completedAt: context.clock.now() });
  return runId;
}

const cases: Array<[string, (context: CaseContext) => Promise<void>]> = [
  [
    'registers prompt versions in order, with variables, message, tags and author',
    async ({ registry, unique, clock }) => {
      const name = unique('greeting');
      const first = await registry.registerPrompt({
        name,
        template: 'Hello {{name}}, about {{ topic }}: {{name}}',
        message: 'first',
        tags: { team: 'support' },
      });
      clock.advance(1000);
      const second = await registry.registerPrompt({
        name,
        template: 'Hi {{name}}',
        message: 'shorter',
        actor: 'alice',
      });
      assert.deepEqual(
        [first.created, first.version.version, second.created, second.version.version],
        [true, 1, true, 2],
      );
      const stored = await registry.resolvePrompt(`${name}/1`);
      assert.equal(stored.template, 'Hello {{name}}, about {{ topic }}: {{name}}');
      assert.deepEqual(stored.variables, ['name', 'topic']);
      assert.equal(stored.message, 'first');
      assert.deepEqual(stored.tags, { team: 'support' });
      assert.equal(stored.author, 'conformance');
      assert.equal(stored.createdAt, first.version.createdAt);
      assert.match(stored.contentHash, /^sha256:[0-9a-f]{64}$/);
      const latest = await registry.resolvePrompt(name);
      assert.deepEqual([latest.version, latest.author, latest.createdAt - stored.createdAt], [2, 'alice', 1000]);
      assert.deepEqual(
        (await registry.listPromptVersions(name)).map((version) => version.version),
        [1, 2],
      );
    },
  ],
  [
    'keeps chat templates as messages',
    async ({ registry, unique }) => {
      const name = unique('chat');
      const template = [
        { role: 'system' as const, content: 'Answer from {{context}} only.' },
        { role: 'user' as const, content: '{{question}}' },
      ];
      await registry.registerPrompt({ name, template });
      const stored = await registry.resolvePrompt(name);
      assert.deepEqual(stored.template, template);
      assert.deepEqual(stored.variables, ['context', 'question']);
    },
  ],
  [
    'returns the existing version when the same prompt content is registered again',
    async ({ registry, unique }) => {
      const name = unique('same');
      await registry.registerPrompt({ name, template: 'A {{x}}' });
      await registry.registerPrompt({ name, template: 'B {{x}}' });
      const again = await registry.registerPrompt({
        name,
        template: 'A {{x}}',
        message: 'a different message changes nothing',
      });
      assert.deepEqual([again.created, again.version.version, again.version.message], [false, 1, '']);
      assert.equal((await registry.getPrompt(name)).latestVersion, 2);
    },
  ],
  [
    'registers model versions with the prompt pinned, lineage, and idempotency by content hash',
    async ({ registry, unique }) => {
      const prompt = unique('answer');
      const model = unique('bot');
      await registry.registerPrompt({ name: prompt, template: 'Q: {{question}}' });
      const source = { file: 'confs/models/bot.yaml', text: 'name: bot\n' };
      const first = await registry.registerModel({
        spec: ragSpec(model, `${prompt}@latest`),
        source,
        gitCommit: 'abc123',
      });
      assert.deepEqual([first.created, first.version.version], [true, 1]);
      assert.equal(first.version.spec.pipeline.prompt, `${prompt}/1`);
      assert.equal(first.version.spec.pipeline.kind === 'rag' && first.version.spec.pipeline.tokenBudget, 2000);
      const { source: recorded, ...lineage } = first.version.lineage;
      assert.deepEqual(lineage, { gitCommit: 'abc123', requestedPrompt: `${prompt}@latest` });
      assert.equal(recorded?.file, 'confs/models/bot.yaml');
      assert.match(recorded?.contentHash ?? '', /^sha256:[0-9a-f]{64}$/);
      const again = await registry.registerModel({
        spec: { ...ragSpec(model, `${prompt}@latest`), guardrails: 'default' },
        source,
      });
      assert.deepEqual([again.created, again.version.version], [false, 1]);
      const changed = await registry.registerModel({
        spec: ragSpec(model, `${prompt}@latest`, { params: { temperature: 0.2 } }),
      });
      assert.deepEqual([changed.created, changed.version.version], [true, 2]);
      await registry.registerPrompt({ name: prompt, template: 'Question: {{question}}' });
      const repinned = await registry.registerModel({ spec: ragSpec(model, `${prompt}@latest`) });
      assert.deepEqual(
        [repinned.created, repinned.version.version, repinned.version.spec.pipeline.prompt],
        [true, 3, `${prompt}/2`],
      );
      const info = await registry.getModel(model);
      assert.deepEqual(
        [info.latestVersion, info.description],
        [3, 'answers support questions from the knowledge base'],
      );
      assert.deepEqual(
        (await registry.listModelVersions(model)).map((version) => version.version),
        [1, 2, 3],
      );
      // The model's description and tags follow its latest registration.
      await registry.registerModel({
        spec: ragSpec(model, `${prompt}@latest`, { description: 'the improved bot', tags: { variant: 'improved' } }),
      });
      const latest = await registry.getModel(model);
      assert.deepEqual(
        [latest.latestVersion, latest.description, latest.tags],
        [4, 'the improved bot', { variant: 'improved' }],
      );
    },
  ],
  [
    'resolves name, name@alias and name/version, and names what is unknown',
    async ({ registry, unique }) => {
      const name = unique('resolve');
      await registry.registerPrompt({ name, template: 'one' });
      await registry.registerPrompt({ name, template: 'two', aliases: ['stable'] });
      await registry.registerPrompt({ name, template: 'three' });
      assert.equal((await registry.resolvePrompt(name)).version, 3);
      assert.equal((await registry.resolvePrompt(`${name}@latest`)).version, 3);
      assert.equal((await registry.resolvePrompt(`${name}@stable`)).version, 2);
      assert.equal((await registry.resolvePrompt(`${name}/1`)).template, 'one');
      await assertRejectsWith(registry.resolvePrompt(`${name}/9`), 'not_found', /version 9 of prompt ".+" not found/);
      await assertRejectsWith(
        registry.resolvePrompt(`${name}@nope`),
        'not_found',
        /alias "nope" of prompt ".+" is not set; its aliases: stable/,
      );
      await assertRejectsWith(registry.resolvePrompt(unique('missing')), 'not_found', /prompt ".+" not found/);
      await assertRejectsWith(registry.resolvePrompt('bad name'), 'invalid_input', /characters outside/);
      await assertRejectsWith(registry.resolveModel(name), 'not_found', /model ".+" not found/);
    },
  ],
  [
    'sees an alias move made through the same registry at once (the cache is invalidated)',
    async ({ registry, unique }) => {
      const name = unique('cached');
      await registry.registerPrompt({ name, template: 'v1', aliases: ['prod'] });
      await registry.registerPrompt({ name, template: 'v2' });
      assert.equal((await registry.resolvePrompt(`${name}@prod`)).version, 1);
      await registry.setAlias({ kind: 'prompt', name, alias: 'prod', version: 2 });
      assert.equal((await registry.resolvePrompt(`${name}@prod`)).version, 2);
      assert.ok(Object.isFrozen(await registry.resolvePrompt(`${name}@prod`)), 'cached versions are frozen');
    },
  ],
  [
    'sets, moves and deletes aliases with an audit entry each, oldest first',
    async ({ registry, unique, clock }) => {
      const name = unique('aliased');
      await registry.registerPrompt({ name, template: 'v1' });
      await registry.registerPrompt({ name, template: 'v2' });
      const set = await registry.setAlias({
        kind: 'prompt',
        name,
        alias: 'prod',
        version: 1,
        reason: 'first release',
        actor: 'alice',
      });
      assert.deepEqual([set.fromVersion, set.toVersion, set.changed], [null, 1, true]);
      clock.advance(10);
      await registry.setAlias({ kind: 'prompt', name, alias: 'prod', version: 2, actor: 'bob' });
      const unchanged = await registry.setAlias({ kind: 'prompt', name, alias: 'prod', version: 2 });
      assert.equal(unchanged.changed, false);
      clock.advance(10);
      await registry.deleteAlias({ kind: 'prompt', name, alias: 'prod', reason: 'retired' });
      assert.deepEqual((await registry.getPrompt(name)).aliases, {});
      const audit = await registry.audit('prompt', name);
      assert.deepEqual(
        audit.map((entry) => [
          entry.alias,
          entry.fromVersion,
          entry.toVersion,
          entry.action,
          entry.actor,
          entry.reason,
        ]),
        [
          ['prod', null, 1, 'set', 'alice', 'first release'],
          ['prod', 1, 2, 'set', 'bob', ''],
          ['prod', 2, null, 'delete', 'conformance', 'retired'],
        ],
      );
      assert.deepEqual(
        audit.map((entry) => entry.at - (audit[0]?.at ?? 0)),
        [0, 10, 20],
      );
      await assertRejectsWith(
        registry.deleteAlias({ kind: 'prompt', name, alias: 'prod' }),
        'not_found',
        /alias "prod" .* is not set/,
      );
      await assertRejectsWith(
        registry.setAlias({ kind: 'prompt', name, alias: 'prod', version: 7 }),
        'not_found',
        /version 7 of prompt/,
      );
    },
  ],
  [
    'refuses bad and reserved aliases, bad names and tags',
    async ({ registry, unique }) => {
      const name = unique('guarded');
      await registry.registerPrompt({ name, template: 'x' });
      await assertRejectsWith(
        registry.setAlias({ kind: 'prompt', name, alias: 'latest', version: 1 }),
        'invalid_input',
        /implicit/,
      );
      await assertRejectsWith(
        registry.setAlias({ kind: 'prompt', name, alias: 'v1', version: 1 }),
        'invalid_input',
        /version number/,
      );
      await assertRejectsWith(
        registry.setAlias({ kind: 'prompt', name, alias: 'has.dot', version: 1 }),
        'invalid_input',
        /has a "\."/,
      );
      // The kernel's one name rule, for names and aliases alike.
      for (const bad of ['..', '-1', 'null', '42', 'x'.repeat(65)]) {
        await assertRejectsWith(registry.registerPrompt({ name: bad, template: 'x' }), 'invalid_input', /^prompt name/);
        await assertRejectsWith(
          registry.setAlias({ kind: 'prompt', name, alias: bad, version: 1 }),
          'invalid_input',
          /^alias /,
        );
      }
      await assertRejectsWith(
        registry.setAlias({ kind: 'prompt', name, alias: 'previous-prod', version: 1 }),
        'invalid_input',
        /promotion and rollback/,
      );
      await assertRejectsWith(
        registry.registerPrompt({ name: 'no spaces', template: 'x' }),
        'invalid_input',
        /prompt name "no spaces"/,
      );
      await assertRejectsWith(
        registry.registerPrompt({ name, template: 'x', tags: { 'mlflow.x': 'y' } }),
        'invalid_input',
        /reserves/,
      );
      await assertRejectsWith(
        registry.registerPrompt({ name, template: 'Hi {{ first name }}' }),
        'invalid_input',
        /placeholder "\{\{ first name \}\}"/,
      );
      await assertRejectsWith(registry.registerPrompt({ name, template: '' }), 'invalid_input', /template is empty/);
      await assertRejectsWith(
        registry.registerPrompt({ name, template: 'x', message: 'm'.repeat(5001) }),
        'invalid_input',
        /message is 5001 characters long/,
      );
      await assertRejectsWith(
        registry.setAlias({ kind: 'prompt', name, alias: 'prod', version: 1, reason: 'r'.repeat(2001) }),
        'invalid_input',
        /reason is 2001 characters long/,
      );
      assert.deepEqual((await registry.getPrompt(name)).aliases, {});
    },
  ],
  [
    'moves aliases by compare-and-set: a stale expectation fails with conflict and changes nothing',
    async ({ store, registry, unique, clock }) => {
      const name = unique('cas');
      await registry.registerPrompt({ name, template: 'v1' });
      await registry.registerPrompt({ name, template: 'v2' });
      await registry.registerPrompt({ name, template: 'v3' });
      await registry.setAlias({ kind: 'prompt', name, alias: 'prod', version: 1 });
      const entry = (to: number) => ({
        kind: 'prompt' as const,
        name,
        alias: 'prod',
        fromVersion: 1,
        toVersion: to,
        action: 'set' as const,
        actor: 'x',
        reason: '',
        evidence: [],
        at: clock.now(),
      });
      // Two writers both read prod=1; the first moves it to 2; the second, still expecting 1, must fail.
      await store.moveAliases({
        kind: 'prompt',
        name,
        changes: [{ alias: 'prod', expected: 1, to: 2 }],
        audit: [entry(2)],
      });
      const error = await assertRejectsWith(
        store.moveAliases({
          kind: 'prompt',
          name,
          changes: [{ alias: 'prod', expected: 1, to: 3 }],
          audit: [entry(3)],
        }),
        'conflict',
        /alias "prod" of prompt ".+" is version 2, expected version 1/,
      );
      assert.deepEqual(error.details, { alias: 'prod', expected: 1, actual: 2 });
      await assertRejectsWith(
        store.moveAliases({ kind: 'prompt', name, changes: [{ alias: 'canary', expected: 2, to: 3 }], audit: [] }),
        'conflict',
        /is not set, expected version 2/,
      );
      await assertRejectsWith(
        registry.setAlias({ kind: 'prompt', name, alias: 'prod', version: 3, expectedVersion: 1 }),
        'conflict',
      );
      assert.deepEqual((await registry.getPrompt(name)).aliases, { prod: 2 });
      assert.deepEqual(
        (await registry.audit('prompt', name)).map((audited) => audited.toVersion),
        [1, 2],
      );
      await assertRejectsWith(
        store.moveAliases({
          kind: 'prompt',
          name: unique('nobody'),
          changes: [{ alias: 'prod', expected: null, to: 1 }],
          audit: [],
        }),
        'not_found',
      );
    },
  ],
  [
    'keeps prompts and models in one namespace',
    async ({ registry, unique }) => {
      const name = unique('shared');
      await registry.registerPrompt({ name, template: 'x' });
      await assertRejectsWith(registry.registerModel({ spec: ragSpec(name, name) }), 'conflict', /belongs to a prompt/);
      await assertRejectsWith(registry.getModel(name), 'not_found');
    },
  ],
  [
    'refuses a promotion without evidence with gate_failed listing every criterion and the missing evidence',
    async (context) => {
      const { registry } = context;
      const { model } = await withPromptAndModel(context, { versions: 1 });
      const error = await assertRejectsWith(registry.promote({ name: model, version: 1, policy }), 'gate_failed');
      assert.match(
        error.message,
        /promotion of .+\/1 to "champion" refused by policy "conformance": 4 of 5 criteria failed/,
      );
      assert.match(error.message, /contextual_relevancy\.mean >= 0\.9: no evidence/);
      assert.match(error.message, /missing evidence:\n {2}- no evaluation of .+\/1 on dataset "golden" was found/);
      assert.deepEqual((await registry.getModel(model)).aliases, {});
      assert.deepEqual(await registry.audit('model', model), []);
    },
  ],
  [
    'refuses a promotion whose evidence fails a threshold, naming value and threshold',
    async (context) => {
      const { registry } = context;
      const { model } = await withPromptAndModel(context, { versions: 1 });
      pass(context, { model, version: 1 }, { ...goodMetrics, 'faithfulness.mean': 0.85, harmful_rate: 0.01 });
      const error = await assertRejectsWith(registry.promote({ name: model, version: 1, policy }), 'gate_failed');
      assert.match(error.message, /2 of 5 criteria failed/);
      assert.match(error.message, /faithfulness\.mean >= 0\.9: 0\.85 is below the threshold 0\.9/);
      assert.match(error.message, /harmful_rate == 0: 0\.01 is not equal to the threshold 0/);
      assert.doesNotMatch(error.message, /missing evidence/);
    },
  ],
  [
    'promotes under the policy, keeps previous-champion, attaches evidence, and rolls back in one step',
    async (context) => {
      const { registry } = context;
      const { model } = await withPromptAndModel(context, { versions: 2 });
      const firstRun = pass(context, { model, version: 1 });
      const first = await registry.promote({ name: model, version: 1, policy, actor: 'alice' });
      assert.deepEqual([first.fromVersion, first.changed, first.decision?.allowed], [null, true, true]);
      const secondRun = pass(context, { model, version: 2 }, { ...goodMetrics, 'contextual_relevancy.mean': 0.92 });
      const second = await registry.promote({ name: model, version: 2, policy, actor: 'bob' });
      assert.deepEqual([second.fromVersion, second.previousAlias], [1, 'previous-champion']);
      assert.deepEqual((await registry.getModel(model)).aliases, { champion: 2, 'previous-champion': 1 });
      assert.equal((await registry.resolveModel(`${model}@champion`)).version, 2);
      const promoted = await registry.resolveModel(`${model}/2`);
      assert.deepEqual(
        promoted.evidence.map((link) => [
          link.runId,
          link.dataset,
          link.verdict,
          link.metrics['contextual_relevancy.mean'],
        ]),
        [[secondRun, 'golden', 'passed', 0.92]],
      );
      const again = await registry.promote({ name: model, version: 2, policy });
      assert.equal(again.changed, false);
      const rolled = await registry.rollback({ name: model, reason: 'answers got worse', actor: 'carol' });
      assert.deepEqual([rolled.fromVersion, rolled.toVersion], [2, 1]);
      assert.deepEqual((await registry.getModel(model)).aliases, { champion: 1 });
      await assertRejectsWith(registry.rollback({ name: model }), 'not_found', /no alias "previous-champion"/);
      const audit = await registry.audit('model', model);
      assert.deepEqual(
        audit.map((entry) => [entry.alias, entry.fromVersion, entry.toVersion, entry.action, entry.actor]),
        [
          ['champion', null, 1, 'promote', 'alice'],
          ['champion', 1, 2, 'promote', 'bob'],
          ['previous-champion', null, 1, 'promote', 'bob'],
          ['champion', 2, 1, 'rollback', 'carol'],
          ['previous-champion', 1, null, 'rollback', 'carol'],
        ],
      );
      assert.deepEqual(
        [audit[0]?.evidence, audit[1]?.evidence, audit[3]?.reason],
        [[firstRun], [secondRun], 'answers got worse'],
      );
    },
  ],
  [
    'keeps the runs a forced promotion without a policy rests on as its audit evidence, each once',
    async (context) => {
      const { registry } = context;
      const { model } = await withPromptAndModel(context, { versions: 2 });
      await registry.promote({ name: model, version: 1, force: true, reason: 'the baseline' });
      const compared = ['run-v1-qa', 'run-v2-qa', 'run-v1-manual', 'run-v2-manual'];
      await registry.promote({
        name: model,
        version: 2,
        force: true,
        reason: 'won the comparison with version 1',
        evidence: [...compared, 'run-v2-qa'],
      });
      const audit = await registry.audit('model', model);
      assert.deepEqual(
        audit.map((entry) => [entry.alias, entry.toVersion, entry.action, entry.evidence]),
        [
          ['champion', 1, 'force-promote', []],
          ['champion', 2, 'force-promote', compared],
          ['previous-champion', 1, 'force-promote', []],
        ],
      );
      // Audit evidence only: the version's own evidence links stay the policy's, with their verdicts.
      assert.deepEqual((await registry.resolveModel(`${model}/2`)).evidence, []);
    },
  ],
  [
    'refuses a candidate worse than the champion by more than the policy allows',
    async (context) => {
      const { registry } = context;
      const { model } = await withPromptAndModel(context, { versions: 2 });
      pass(context, { model, version: 1 }, { ...goodMetrics, 'contextual_relevancy.mean': 0.97 });
      await registry.promote({ name: model, version: 1, policy });
      pass(context, { model, version: 2 }, { ...goodMetrics, 'contextual_relevancy.mean': 0.93 });
      const error = await assertRejectsWith(registry.promote({ name: model, version: 2, policy }), 'gate_failed');
      assert.match(
        error.message,
        /contextual_relevancy\.mean not worse than the champion by more than 0\.02: 0\.93 is below 0\.95/,
      );
      assert.equal((await registry.getModel(model)).aliases['champion'], 1);
    },
  ],
  [
    'forces a promotion only with a reason, and audits it as forced',
    async (context) => {
      const { registry } = context;
      const { model } = await withPromptAndModel(context, { versions: 1 });
      await assertRejectsWith(
        registry.promote({ name: model, version: 1, force: true }),
        'invalid_input',
        /needs a reason/,
      );
      await assertRejectsWith(registry.promote({ name: model, version: 1 }), 'invalid_input', /no promotion policy/);
      const forced = await registry.promote({
        name: model,
        version: 1,
        policy,
        force: true,
        reason: 'hotfix, evaluation pending',
      });
      assert.deepEqual([forced.forced, forced.decision?.allowed], [true, false]);
      const [entry] = await registry.audit('model', model);
      assert.deepEqual(
        [entry?.action, entry?.reason, entry?.toVersion],
        ['force-promote', 'hotfix, evaluation pending', 1],
      );
    },
  ],
  [
    'refuses to move a model champion directly, and unknown versions on promotion',
    async (context) => {
      const { registry } = context;
      const { model } = await withPromptAndModel(context, { versions: 1 });
      await assertRejectsWith(
        registry.setAlias({ kind: 'model', name: model, alias: 'champion', version: 1 }),
        'invalid_input',
        /gated promotion/,
      );
      await assertRejectsWith(registry.promote({ name: model, version: 5, policy }), 'not_found', /version 5 of model/);
      await assertRejectsWith(
        registry.promote({ name: model, version: 1, alias: 'previous-champion', policy }),
        'invalid_input',
      );
      const challenger = await registry.setAlias({ kind: 'model', name: model, alias: 'challenger', version: 1 });
      assert.equal(challenger.changed, true);
    },
  ],
  [
    'attaches evidence once per run id',
    async (context) => {
      const { registry } = context;
      const { model } = await withPromptAndModel(context, { versions: 1 });
      const link = {
        runId: 'run-1',
        dataset: 'golden',
        verdict: 'passed' as const,
        metrics: { 'faithfulness.mean': 0.9 },
        attachedAt: context.clock.now(),
      };
      await registry.attachEvidence({ name: model, version: 1, evidence: [link] });
      const after = await registry.attachEvidence({
        name: model,
        version: 1,
        evidence: [link, { ...link, runId: 'run-2', verdict: 'failed' }],
      });
      assert.deepEqual(
        after.evidence.map((item) => [item.runId, item.verdict]),
        [
          ['run-1', 'passed'],
          ['run-2', 'failed'],
        ],
      );
      assert.deepEqual((await registry.resolveModel(`${model}/1`)).evidence.length, 2);
      await assertRejectsWith(registry.attachEvidence({ name: model, version: 3, evidence: [link] }), 'not_found');
    },
  ],
  [
    'lists prompts and models with their newest version and aliases',
    async (context) => {
      const { registry } = context;
      const { prompt, model } = await withPromptAndModel(context, { versions: 2 });
      await registry.setAlias({ kind: 'model', name: model, alias: 'challenger', version: 2 });
      const prompts = await registry.listPrompts();
      const models = await registry.listModels();
      assert.deepEqual(
        prompts.filter((info) => info.name === prompt).map((info) => [info.latestVersion, info.aliases]),
        [[1, {}]],
      );
      assert.deepEqual(
        models.filter((info) => info.name === model).map((info) => [info.latestVersion, info.aliases]),
        [[2, { challenger: 2 }]],
      );
      assert.ok(!models.some((info) => info.name === prompt), 'prompts are not listed as models');
      const view = await registry.showModel(`${model}@challenger`);
      assert.deepEqual([view.version, view.aliases], [2, ['challenger']]);
    },
  ],
];

/**
 * The conformance suite of {@link RegistryStore}: the same cases, the same errors, for every adapter.
 * It returns the cases for the caller's test runner (`for (const c of suite) it(c.name, c.run)`);
 * assertions use `node:assert`, so any runner works. Every case makes its own store from `factory`
 * and uses names unique to it, so cases may share one database or server.
 */
export function registryStoreConformanceSuite(factory: RegistryStoreFactory): ConformanceCase[] {
  return cases.map(([name, body]) => ({
    name,
    run: async () => {
      const store = await factory();
      const clock = new ManualClock(1_750_000_000_000);
      const evidence = new InMemoryEvaluationEvidence();
      const registry = createRegistry({ store, clock, evidence, actor: 'conformance' });
      const suffix = randomBytes(4).toString('hex');
      try {
        await body({ store, registry, evidence, clock, unique: (base) => `${base}-${suffix}` });
      } finally {
        await store.close();
      }
    },
  }));
}
