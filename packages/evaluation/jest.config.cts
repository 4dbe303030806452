module.exports = {
  displayName: '@llmops/evaluation',
  preset: '../../jest.preset.cjs',
};
