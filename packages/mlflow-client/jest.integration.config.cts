const fs = require('node:fs');
const path = require('node:path');
const { registerHooks } = require('node:module');

// Jest's moduleNameMapper (`./x.js` -> `./x.ts`) applies to test files only: the global setup is
// loaded by Node's own resolver, so teach it the same mapping for relative imports from .ts files.
registerHooks({
  resolve(
    specifier: string,
    context: { parentURL?: string },
    nextResolve: (specifier: string, context: { parentURL?: string }) => unknown,
  ) {
    if (/^\.{1,2}\//.test(specifier) && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      const source = specifier.replace(/\.js$/, '.ts');
      if (fs.existsSync(new URL(source, context.parentURL))) return nextResolve(source, context);
    }
    return nextResolve(specifier, context);
  },
});

/**
 * Integration tests against real MLflow 3.17 servers: the global setup installs the venv if needed
 * and starts one server on SQLite and one on PostgreSQL.
 */
module.exports = {
  displayName: '@llmops/mlflow-client:integration',
  preset: '../../jest.preset.cjs',
  testMatch: ['**/?(*.)+(integration).ts'],
  globalSetup: '<rootDir>/src/integration/global-setup.ts',
  globalTeardown: '<rootDir>/src/integration/global-teardown.ts',
  testTimeout: 120_000,
  reporters: ['default', [path.join(__dirname, '../../tools/jest/results-reporter.cjs'), { target: 'integration' }]],
};
