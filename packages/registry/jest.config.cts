module.exports = {
  displayName: '@llmops/registry',
  preset: '../../jest.preset.cjs',
};
