module.exports = {
  displayName: '@llmops/console',
  preset: '../../jest.preset.cjs',
  testPathIgnorePatterns: ['/node_modules/', '/e2e/'],
};
