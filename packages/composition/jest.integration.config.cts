module.exports = {
  displayName: '@llmops/composition (integration)',
  preset: '../../jest.preset.cjs',
  testMatch: ['**/?(*.)+(integration).ts'],
  testTimeout: 300_000,
  reporters: [
    'default',
    [require('node:path').join(__dirname, '../../tools/jest/results-reporter.cjs'), { target: 'integration' }],
  ],
};
