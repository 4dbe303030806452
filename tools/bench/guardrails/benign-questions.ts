import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { edgeQuestions } from './edge-questions.js';

/** The questions of a JSONL dataset, its adversarial examples left out. */
function questionsOf(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { input?: string; question?: string; tags?: string[] })
    .filter((example) => !example.tags?.includes('adversarial'))
    .map((example) => example.input ?? example.question ?? '');
}

/**
 * The project's own benign questions the guardrail benches time and check for false flags: both evaluation datasets'
 * and the batch-inference questions (adversarial examples left out), then the edge questions.
 * @param root the workspace
 */
export function benignQuestions(root: string): string[] {
  return [
    ...questionsOf(join(root, 'confs/data/eval/support-qa.jsonl')),
    ...questionsOf(join(root, 'confs/data/eval/manual-qa.jsonl')),
    ...questionsOf(join(root, 'confs/data/inference/customer-questions.jsonl')),
    ...edgeQuestions,
  ];
}
