module.exports = {
  displayName: '@llmops/cli',
  preset: '../../jest.preset.cjs',
};
