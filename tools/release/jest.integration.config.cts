module.exports = {
  displayName: 'release (integration)',
  preset: '../../jest.preset.cjs',
  testMatch: ['**/?(*.)+(integration).ts'],
  // Publishes every package to Verdaccio and installs each alone: minutes, mostly npm install.
  testTimeout: 1_200_000,
  reporters: [
    'default',
    [require('node:path').join(__dirname, '../jest/results-reporter.cjs'), { target: 'integration' }],
  ],
};
