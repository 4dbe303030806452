import {
  answerCorrectnessScore,
  answerCorrectnessWeights,
  correctnessCounts,
  factualF1Score,
} from '../metric-formulas.js';
import type { Metric } from './metric.js';
import { questionOf, refusalExpected } from './metric-context.js';
import { embedderLabel, expectedOutputSimilarity } from './expected-output-similarity.js';
import { listed } from './verdict-reasons.js';

/**
 * Answer correctness against the example's `expected_output`, through the judge's `correctness` task.
 * With an LLM judge (items are statements) it is Ragas's answer correctness: 0.75 × factual F1
 * (TP / (TP + 0.5 (FP + FN))) + 0.25 × the cosine similarity of output and expected output. With the
 * offline judge (items are SQuAD tokens) the same F1 is SQuAD's token F1, and that is the score: the
 * token overlap already is a lexical similarity. The reason names the method. Applies to examples with
 * a non-empty expected output that do not expect a refusal.
 */
export const answerCorrectness: Metric<'answer_correctness'> = {
  descriptor: {
    name: 'answer_correctness',
    description:
      'Ragas answer correctness (0.75 factual F1 of statements + 0.25 similarity) with an LLM judge; SQuAD token F1 with the offline judge',
    unit: 'score',
    higherIsBetter: true,
    judged: true,
  },
  appliesTo: (context) => !refusalExpected(context) && (context.example.expected_output ?? '').trim() !== '',
  async score(context) {
    const output = context.answer.output;
    if (output.trim() === '') return { score: 0, reason: 'the output is empty' };
    const classification = await context.judge({
      kind: 'correctness',
      input: questionOf(context),
      output,
      reference: context.example.expected_output ?? '',
    });
    const counts = correctnessCounts(classification.output, classification.reference);
    const f1 = factualF1Score(counts);
    const { truePositives: tp, falsePositives: fp, falseNegatives: fn } = counts;
    if (classification.basis === 'tokens') {
      return {
        score: f1,
        reason: `token F1 ${f1.toFixed(3)} against the expected output (SQuAD tokens: ${tp} shared, ${fp} only in the output, ${fn} only in the expected output)`,
      };
    }
    const similarity = await expectedOutputSimilarity(context);
    const unsupported = listed(classification.output, 'no');
    const missing = listed(classification.reference, 'no');
    return {
      score: answerCorrectnessScore(f1, similarity),
      reason:
        `Ragas answer correctness: ${answerCorrectnessWeights.factuality} × factual F1 ${f1.toFixed(3)} ` +
        `(statements: TP ${tp}, FP ${fp}, FN ${fn}) + ${answerCorrectnessWeights.similarity} × similarity ` +
        `${similarity.toFixed(3)} (${embedderLabel(context)})` +
        (unsupported ? `; not supported by the expected output: ${unsupported}` : '') +
        (missing ? `; missing from the output: ${missing}` : ''),
    };
  },
};
