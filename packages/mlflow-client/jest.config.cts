module.exports = {
  displayName: '@llmops/mlflow-client',
  preset: '../../jest.preset.cjs',
};
