import { createMlflowClient } from '../lib/mlflow-client.js';
import { artifactsAndTracesSuite } from './artifacts-and-traces-suite.js';
import { experimentsAndRunsSuite } from './experiments-and-runs-suite.js';
import { interoperabilitySuite } from './interoperability-suite.js';
import { mlflowBackends, workspaceRoot } from './mlflow-backends.js';
import { promptsSuite } from './prompts-suite.js';
import { registrySuite } from './registry-suite.js';
import type { SuiteContext } from './suite-context.js';
import { uniqueNames } from './suite-context.js';

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
