module.exports = {
  displayName: 'release',
  preset: '../../jest.preset.cjs',
  // Staging packs nine packages and type-checks their declarations: slower than a unit test.
  testTimeout: 180_000,
};
