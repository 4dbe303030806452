module.exports = {
  displayName: '@llmops/api',
  preset: '../../jest.preset.cjs',
};
