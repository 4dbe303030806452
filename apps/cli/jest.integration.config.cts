/**
 * Integration tests of the built `llmops` bin against real services (an MLflow 3.17 server started by
 * the tests themselves).
 */
module.exports = {
  displayName: '@llmops/cli (integration)',
  preset: '../../jest.preset.cjs',
  testMatch: ['**/?(*.)+(integration).ts'],
  testTimeout: 300_000,
  reporters: [
    'default',
    [require('node:path').join(__dirname, '../../tools/jest/results-reporter.cjs'), { target: 'integration' }],
  ],
};
