import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEvaluationStore } from '@llmops/evaluation';
import { alertsConfigSchema, signalOfSlo } from '@llmops/monitoring';
import { createRegistry, createRegistryStore } from '@llmops/registry';
import { openTraceStore } from '@llmops/serving';
import { servedKettleHelp } from '../__fixtures__/kettle-workspace.js';
import { openMonitoringAlerts } from './monitoring-alerts.js';

describe('openMonitoringAlerts (kettle workspace, real SQLite)', () => {
  it("records each re-evaluated example's trace in the store, so the console's example links it", async () => {
    // The 2026-12-01 walkthrough: the quickstart's re-evaluations on alert showed "Trace none recorded" on every
    // example page, while the evaluate job's and eval run's examples link theirs.
    const { cwd, running } = await servedKettleHelp({ prefix: 'llmops-alert-traces-' });
    await running.close();
    writeFileSync(
      join(cwd, 'kettle-qa.jsonl'),
      `${JSON.stringify({ id: 'q1', input: 'Is limescale damage covered by the warranty?' })}\n`,
    );
    const storeUri = 'sqlite:.llmops/llmops.db';
    const registry = createRegistry({ store: createRegistryStore(storeUri, { cwd }), actor: 'test' });
    const alerts = openMonitoringAlerts({
      config: alertsConfigSchema.parse({
        reevaluation: { dataset: 'kettle-qa.jsonl' },
        rules: [{ name: 'relevancy', when: 'slo:contextual_relevancy', model: 'kettle-help', actions: ['reevaluate'] }],
      }),
      storeUri,
      cwd,
      env: {},
      registry,
      judge: 'offline',
      logger: { warn: () => undefined },
    });
    let runId: string | undefined;
    try {
      const [fired] = await alerts.engine.evaluate([
        signalOfSlo({ name: 'contextual_relevancy', breached: true, value: 0.5, threshold: 0.9 }),
      ]);
      const record = await fired?.done;
      const [reevaluated] = record?.actions ?? [];
      expect(reevaluated).toMatchObject({ action: 'reevaluate', status: 'done' });
      runId =
        reevaluated?.action === 'reevaluate' ? (reevaluated.result?.evaluations[0]?.runId ?? undefined) : undefined;
    } finally {
      await alerts.close();
      await registry.close();
    }
    expect(runId).toEqual(expect.any(String));
    const evaluationStore = openEvaluationStore({ storeUri, cwd, env: {} });
    const traces = openTraceStore(storeUri, { cwd, env: {} });
    try {
      const example = await evaluationStore.queries.example(String(runId), 0);
      expect(example.result.traceId).toMatch(/^[0-9a-f]{32}$/);
      const trace = await traces.reader.get(String(example.result.traceId));
      expect(trace).toMatchObject({ model: 'kettle-help/1' });
    } finally {
      traces.close();
      evaluationStore.close();
    }
  });
});
