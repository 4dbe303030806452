module.exports = {
  displayName: '@llmops/composition (integration)',
  preset: '../../jest.preset.cjs',
  testMatch: ['**/?(*.)+(integration).ts'],
  // The MLflow outage suite runs on its own (tools/faults/mlflow-outage.sh): its server close hung past 300 s after
  // the outage in one CI run of two (wiki/Serving.md, "MLflow outage"), which is being investigated.
  testPathIgnorePatterns: ['/node_modules/', 'mlflow-outage\\.integration\\.ts$'],
  testTimeout: 300_000,
  reporters: [
    'default',
    [require('node:path').join(__dirname, '../../tools/jest/results-reporter.cjs'), { target: 'integration' }],
  ],
};
