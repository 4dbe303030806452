module.exports = {
  displayName: '@llmops/kernel',
  preset: '../../jest.preset.cjs',
};
