/**
 * The training data's specs (`nx run guardrails-training:test`): the texts the guardrail classifiers are trained on
 * keep their counts, their split and their opt-in order.
 */
module.exports = {
  displayName: 'guardrails-training',
  preset: '../../../jest.preset.cjs',
};
