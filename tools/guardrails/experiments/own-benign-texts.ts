/**
 * Realistic benign text the team owns, for training the distilled student's heads: the help-center and skerry
 * manual paragraphs (`confs/data/kb`, `confs/data/manual`) and the support questions of `confs/data/`
 * (support-qa, manual-qa, customer-questions, judge-validation; adversarial items left out).
 *
 * The guardrail bench measures benign flags on the same questions and paragraphs, so every text is split by a
 * fixed hash of its text (`ownBenignHalf`): only the `train` half may be trained on, the bench's numbers are
 * reported on the `held-out` half. The 20 edge questions are never trained on.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Which half of the own benign texts a text falls in: `train` (may be trained on) or `held-out` (measured). */
export function ownBenignHalf(text: string): 'train' | 'held-out' {
  const firstByte = createHash('sha256').update(text.trim(), 'utf8').digest()[0] ?? 0;
  return firstByte % 2 === 0 ? 'train' : 'held-out';
}

/** One own benign text and where it comes from. */
export interface OwnBenignText {
  text: string;
  source: 'question' | 'paragraph';
  half: 'train' | 'held-out';
  /** The corpus a paragraph comes from: the help center (`kb`) or the skerry manual (`manual`), two styles. */
  corpus?: 'kb' | 'manual';
}

function jsonLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The own questions and paragraphs (deduplicated), each with its half; `root` is the repository root. */
export function ownBenignTexts(root: string): OwnBenignText[] {
  const questions: string[] = [];
  for (const name of ['support-qa', 'manual-qa']) {
    for (const example of jsonLines(join(root, 'confs/data/eval', `${name}.jsonl`))) {
      const tags = (example['tags'] as string[] | undefined) ?? [];
      if (!tags.includes('adversarial')) questions.push(String(example['input']));
    }
  }
  for (const example of jsonLines(join(root, 'confs/data/inference/customer-questions.jsonl')))
    questions.push(String(example['input'] ?? example['question']));
  for (const example of jsonLines(join(root, 'confs/data/eval/judge-validation.jsonl')))
    questions.push(String(example['question']));
  const paragraphs: { text: string; corpus: 'kb' | 'manual' }[] = [];
  for (const corpus of ['kb', 'manual'] as const) {
    const folder = join(root, 'confs/data', corpus);
    for (const name of readdirSync(folder).sort())
      for (const text of readFileSync(join(folder, name), 'utf8').split(/\n\s*\n/)) paragraphs.push({ text, corpus });
  }
  const seen = new Set<string>();
  const texts: OwnBenignText[] = [];
  const add = (text: string, source: OwnBenignText['source'], corpus?: OwnBenignText['corpus']) => {
    const trimmed = text.trim();
    if (trimmed === '' || seen.has(trimmed)) return;
    seen.add(trimmed);
    texts.push({ text: trimmed, source, half: ownBenignHalf(trimmed), ...(corpus ? { corpus } : {}) });
  };
  questions.forEach((text) => add(text, 'question'));
  paragraphs.forEach(({ text, corpus }) => add(text, 'paragraph', corpus));
  return texts;
}
