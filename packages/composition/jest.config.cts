module.exports = {
  displayName: '@llmops/composition',
  preset: '../../jest.preset.cjs',
};
