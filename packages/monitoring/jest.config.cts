module.exports = {
  displayName: '@llmops/monitoring',
  preset: '../../jest.preset.cjs',
};
