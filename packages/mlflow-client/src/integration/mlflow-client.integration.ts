import { createMlflowClient } from '../lib/mlflow-client.js';
import { artifactsAndTracesSuite } from './artifacts-and-traces-suite.js';
import { experimentsAndRunsSuite } from './experiments-and-runs-suite.js';
import { interoperabilitySuite } from './interoperability-suite.js';
import { mlflowBackends, mlflowSkipped, workspaceRoot } from './mlflow-backends.js';
import { promptsSuite } from './prompts-suite.js';
import { registrySuite } from './registry-suite.js';
import type { SuiteContext } from './suite-context.js';
import { uniqueNames } from './suite-context.js';

if (mlflowSkipped()) {
  // Visible in the results as its own test, so a skipped suite is never mistaken for a passing one.
  test('MLflow integration skipped by LLMOPS_SKIP_MLFLOW=1', () => {
    expect(process.env['LLMOPS_SKIP_MLFLOW']).toBe('1');
  });
} else {
  describe.each(mlflowBackends())('MLflow 3.17 on $backend', ({ backend, trackingUri }) => {
    const context: SuiteContext = {
      backend,
      trackingUri,
      workspaceRoot: workspaceRoot(),
      client: createMlflowClient({ trackingUri }),
      unique: uniqueNames(backend),
    };
    const current = () => context;

    it('answers /health', async () => {
      await expect(context.client.health()).resolves.toBeUndefined();
    });

    experimentsAndRunsSuite(current);
    registrySuite(current);
    promptsSuite(current);
    artifactsAndTracesSuite(current);
    interoperabilitySuite(current);
  });
}
