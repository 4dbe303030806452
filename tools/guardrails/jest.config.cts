/**
 * The training data's specs: `npx jest -c tools/guardrails/jest.config.cts`. Not an Nx project (its scripts import
 * `tools/bench` by relative path, which the module-boundary rule forbids between projects), so CI does not run it.
 */
module.exports = {
  displayName: 'guardrails-training',
  preset: '../../jest.preset.cjs',
};
