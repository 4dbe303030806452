/**
 * Planted passages for measuring the passage screen's harmful check on the team's own texts: each validation or
 * test text of the training data that is harmful and not an injection (`training-data.ts`), and each benign hard
 * negative or free-form benign text of those splits (for false alarms), planted in one corpus
 * paragraph, as its first sentence, after its first sentence (the middle) or as its last sentence, the position
 * turning with the text's index and the paragraph changing every three texts, cycling through the paragraphs given. No public
 * red-team text is read.
 */
import { random } from '../../bench/seeded-random.js';
import { isFreeForm, isHardNegative, splitOf, trainingExamples } from '../training/training-data.js';
import type { OwnBenignText } from './own-benign-texts.js';

/** Where a planted text sits in its paragraph. */
export type PlantedPosition = 'first' | 'middle' | 'last';
const positions: readonly PlantedPosition[] = ['first', 'middle', 'last'];

/** One paragraph with a harmful text planted in it. */
export interface PlantedPassage {
  /** `harmful-validation` (develop) or `harmful-test` (check); `benign-validation`, `benign-test` likewise. */
  set: string;
  text: string;
  /** The harmful text alone, as the training data has it. */
  planted: string;
  position: PlantedPosition;
  corpus: OwnBenignText['corpus'];
}

// The screen's sentence split, written out: a checkout before this file may not export `passageSentencesOf`.
const sentencesOf = (text: string): string[] => text.match(/[^\n]+?(?:[.!?]+(?=\s|$)|(?=\n)|$)\s*/g) ?? [text];

/** A paragraph with `planted` put in at `position` (separated by a space, as a sentence of the paragraph). */
export function plantedText(paragraph: string, planted: string, position: PlantedPosition): string {
  const text = planted.trim();
  if (position === 'first') return `${text} ${paragraph.trim()}`;
  if (position === 'last') return `${paragraph.trim()} ${text}`;
  const [first, ...rest] = sentencesOf(paragraph);
  return `${(first ?? '').trimEnd()} ${text} ${rest.join('')}`.trim();
}

/**
 * The team's validation and test texts, each planted in one of `paragraphs`: the harmful ones (not injections), and
 * the benign hard negatives and free-form benign texts (alarming words in benign requests), for false alarms.
 */
export function plantedPassages(paragraphs: readonly OwnBenignText[]): PlantedPassage[] {
  const planted = trainingExamples(random(14), { freeForm: true, hardNegatives: true }).filter(
    (example) =>
      !example.labels.includes('injection') &&
      splitOf(example.family) !== 'train' &&
      (example.labels.length > 0 || isHardNegative(example) || isFreeForm(example)),
  );
  return planted.map((example, index) => {
    const paragraph = paragraphs[Math.floor(index / positions.length) % paragraphs.length] as OwnBenignText;
    const position = positions[index % positions.length] as PlantedPosition;
    return {
      set: `${example.labels.length > 0 ? 'harmful' : 'benign'}-${splitOf(example.family)}`,
      text: plantedText(paragraph.text, example.text, position),
      planted: example.text,
      position,
      corpus: paragraph.corpus,
    };
  });
}
