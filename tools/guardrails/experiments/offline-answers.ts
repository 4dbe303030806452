/**
 * The offline extractive model's real answers to the project's own questions on both shipped corpora (the RAG
 * context the pipeline really builds: `prepareQuestions` of the answer bench, baseline retrieval), one JSON line per
 * answer (`corpus`, `id`, `answer`), for measuring the output check on answers it must let through:
 *
 *   npx tsx --conditions=@llmops/source tools/guardrails/experiments/offline-answers.ts <out.jsonl>
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OfflineExtractiveChatModel } from '@llmops/providers';
import {
  benchModelSettings,
  benchRetrieval,
  corpora,
  prepareQuestions,
} from '../../bench/answerer/answer-bench-data.js';

const [out] = process.argv.slice(2);
if (!out) throw new Error('usage: offline-answers.ts <out.jsonl>');
const lines: string[] = [];
const model = new OfflineExtractiveChatModel(benchModelSettings(false));
for (const corpus of corpora) {
  const indexDirectory = mkdtempSync(join(tmpdir(), 'offline-answers-'));
  try {
    const { questions } = await prepareQuestions(corpus, { indexDirectory, retrieval: benchRetrieval(false) });
    for (const question of questions)
      lines.push(
        JSON.stringify({ corpus: corpus.name, id: question.id, answer: model.answer(question.messages).content }),
      );
  } finally {
    rmSync(indexDirectory, { recursive: true, force: true });
  }
}
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`${lines.length} answers written to ${out}`);
