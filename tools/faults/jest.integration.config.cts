module.exports = {
  displayName: 'faults (integration)',
  preset: '../../jest.preset.cjs',
  testMatch: ['**/?(*.)+(integration).ts'],
  // The MLflow scan starts a real mlflow server (its first start runs the migrations), serves and evaluates.
  testTimeout: 300_000,
  reporters: [
    'default',
    [require('node:path').join(__dirname, '../../tools/jest/results-reporter.cjs'), { target: 'integration' }],
  ],
};
