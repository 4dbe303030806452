module.exports = {
  displayName: '@llmops/providers',
  preset: '../../jest.preset.cjs',
};
