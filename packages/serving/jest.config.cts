module.exports = {
  displayName: '@llmops/serving',
  preset: '../../jest.preset.cjs',
};
