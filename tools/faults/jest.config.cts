module.exports = {
  displayName: 'faults',
  preset: '../../jest.preset.cjs',
  // The scan spec serves a workspace end to end before scanning it.
  testTimeout: 120_000,
};
