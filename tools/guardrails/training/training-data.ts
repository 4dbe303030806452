import { composedActs } from './composed-acts.js';
import { conversationalTexts } from './conversational/index.js';
import { freeFormTexts } from './free-form/index.js';
import { hardNegativeTexts } from './hard-negatives/index.js';
import type { FreeFormTexts } from './free-form/free-form-texts.js';
import type { LanguagePack } from './language-pack.js';
import { english } from './languages/english.js';
import { french } from './languages/french.js';
import { german } from './languages/german.js';
import { italian } from './languages/italian.js';
import { portuguese } from './languages/portuguese.js';
import { spanish } from './languages/spanish.js';
import { minimalPairTexts } from './minimal-pairs/index.js';

/** The labels of one training text: harm categories and `injection`; none for a benign text. */
export type TrainingLabel = 'violence' | 'self_harm' | 'hate_harassment' | 'sexual_minors' | 'dangerous' | 'injection';

/** One generated training text. */
export interface TrainingExample {
  text: string;
  labels: TrainingLabel[];
  language: LanguagePack['language'];
  /**
   * The family the text belongs to (one act, one sentence, one group frame): the split keeps a family
   * whole, so the held-out texts ask for acts and say sentences the model never saw.
   */
  family: string;
}

/** The languages the classifier is trained on. */
export const languagePacks: readonly LanguagePack[] = [english, spanish, french, german, portuguese, italian];

/** Which split a family falls in: 70 % train, 15 % validation (thresholds), 15 % test (reported numbers). */
export type Split = 'train' | 'validation' | 'test';

function familyHash(family: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < family.length; index += 1) {
    hash ^= family.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % 100;
}

/** The split of a family, fixed by a hash of its name (no randomness, so every run splits the same way). */
export function splitOf(family: string): Split {
  const bucket = familyHash(family);
  return bucket < 70 ? 'train' : bucket < 85 ? 'validation' : 'test';
}

/** Variants of one text as people type it: as written, lower case without punctuation, with a greeting. */
function variants(text: string, pick: () => number): string[] {
  const plain = text
    .toLowerCase()
    .replace(/[?.!¿¡,:;]/g, '')
    .trim();
  const openers = ['hey, ', 'quick question: ', 'please, ', 'hi! ', ''];
  const opener = openers[Math.floor(pick() * openers.length)] ?? '';
  return [text, pick() < 0.5 ? plain : `${opener}${text}`];
}

function fill(frame: string, slot: '{act}' | '{group}', value: string): string {
  return frame.replace(slot, value);
}

/**
 * Every training text of one language: each harmful act in every request frame, answer frame, fiction
 * frame and (for some) a jailbreak wrapper; each benign act in the same frames; whole sentences; hate
 * frames and benign frames about every group; injections. `pick` is a seeded generator.
 */
function examplesOf(pack: LanguagePack, pick: () => number): TrainingExample[] {
  const examples: TrainingExample[] = [];
  const language = pack.language;
  const add = (texts: readonly string[], labels: TrainingLabel[], family: string) => {
    for (const text of texts)
      for (const variant of variants(text, pick)) examples.push({ text: variant, labels, language, family });
  };
  for (const [category, acts] of Object.entries(pack.harmfulActs) as [TrainingLabel, readonly string[]][]) {
    acts.forEach((act, index) => {
      const family = `${language}:act:${category}:${index}`;
      add([act, ...pack.requestFrames.map((frame) => fill(frame, '{act}', act))], [category], family);
      add(
        pack.answerFrames.map((frame) => fill(frame, '{act}', act)),
        [category],
        family,
      );
      add(
        pack.fictionFrames.map((frame) => fill(frame, '{act}', act)),
        [category],
        family,
      );
      const wrapper = pack.injectionWrappers[index % pack.injectionWrappers.length];
      if (wrapper) add([fill(wrapper, '{act}', act)], [category, 'injection'], family);
    });
  }
  // Composed acts: each verb × object pair in two request frames and one answer frame, picked at random.
  const composed = composedActs[language];
  const compose = (verb: string, object: string) => (language === 'deu' ? `${object} ${verb}` : `${verb} ${object}`);
  const framesFor = (act: string) => {
    const frame = (frames: readonly string[]) =>
      fill(frames[Math.floor(pick() * frames.length)] ?? '{act}', '{act}', act);
    return [frame(pack.requestFrames), frame(pack.requestFrames), frame(pack.answerFrames)];
  };
  composed.harmful.forEach((group, groupIndex) =>
    group.verbs.forEach((verb, verbIndex) =>
      group.objects.forEach((object, objectIndex) =>
        add(
          framesFor(compose(verb, object)),
          [group.category],
          `${language}:composed:${groupIndex}:${verbIndex}:${objectIndex}`,
        ),
      ),
    ),
  );
  composed.benign.forEach((group, groupIndex) =>
    group.verbs.forEach((verb, verbIndex) =>
      group.objects.forEach((object, objectIndex) =>
        add(
          framesFor(compose(verb, object)),
          [],
          `${language}:composed-benign:${groupIndex}:${verbIndex}:${objectIndex}`,
        ),
      ),
    ),
  );
  pack.benignActs.forEach((act, index) => {
    const family = `${language}:benign-act:${index}`;
    add([act, ...pack.requestFrames.map((frame) => fill(frame, '{act}', act))], [], family);
    add(
      pack.answerFrames.map((frame) => fill(frame, '{act}', act)),
      [],
      family,
    );
    add(
      pack.fictionFrames.map((frame) => fill(frame, '{act}', act)),
      [],
      family,
    );
  });
  for (const [category, sentences] of Object.entries(pack.harmfulSentences) as [TrainingLabel, readonly string[]][]) {
    sentences.forEach((sentence, index) => add([sentence], [category], `${language}:sentence:${category}:${index}`));
  }
  pack.hateFrames.forEach((frame, index) =>
    add(
      pack.groups.map((group) => fill(frame, '{group}', group)),
      ['hate_harassment'],
      `${language}:hate:${index}`,
    ),
  );
  pack.groupBenignFrames.forEach((frame, index) =>
    add(
      pack.groups.map((group) => fill(frame, '{group}', group)),
      [],
      `${language}:group:${index}`,
    ),
  );
  pack.injections.forEach((injection, index) => {
    const benign = pack.benignSentences[index % pack.benignSentences.length] ?? '';
    add([injection, `${benign} ${injection}`], ['injection'], `${language}:injection:${index}`);
  });
  pack.benignSentences.forEach((sentence, index) => add([sentence], [], `${language}:benign-sentence:${index}`));
  return examples;
}

/** Texts written one by one (free-form or conversational), each as written and in one variant, one family each. */
function oneByOneExamples(sets: readonly FreeFormTexts[], prefix: string, pick: () => number): TrainingExample[] {
  const examples: TrainingExample[] = [];
  for (const set of sets) {
    const add = (text: string, labels: TrainingLabel[], family: string) => {
      for (const variant of variants(text, pick))
        examples.push({ text: variant, labels, language: set.language, family });
    };
    for (const [label, texts] of Object.entries(set.harmful) as [TrainingLabel, readonly string[]][]) {
      texts.forEach((text, index) => add(text, [label], `${set.language}:${prefix}:${label}:${index}`));
    }
    set.benign.forEach((text, index) => add(text, [], `${set.language}:${prefix}-benign:${index}`));
  }
  return examples;
}

/**
 * The free-form texts of every language (see `FreeFormTexts`), each as written and in one variant, with
 * families `<language>:free:<label>:<index>` and `<language>:free-benign:<index>`.
 */
export function freeFormExamples(pick: () => number): TrainingExample[] {
  return oneByOneExamples(freeFormTexts, 'free', pick);
}

/**
 * The conversational texts of every language (see `conversationalTexts`), each as written and in one variant,
 * with families `<language>:talk:<label>:<index>` and `<language>:talk-benign:<index>`.
 */
export function conversationalExamples(pick: () => number): TrainingExample[] {
  return oneByOneExamples(conversationalTexts, 'talk', pick);
}

/**
 * The hard negatives of every language (see `HardNegativeTexts`), each as written and in one variant, with
 * families `<language>:hard-benign:<kind>:<index>` and `<language>:hard-harm:<label>:<index>` (one text, one
 * family, as the free-form texts).
 */
export function hardNegativeExamples(pick: () => number): TrainingExample[] {
  const examples: TrainingExample[] = [];
  for (const hard of hardNegativeTexts) {
    const add = (text: string, labels: TrainingLabel[], family: string) => {
      for (const variant of variants(text, pick))
        examples.push({ text: variant, labels, language: hard.language, family });
    };
    for (const [kind, texts] of Object.entries(hard.benign)) {
      texts.forEach((text, index) => add(text, [], `${hard.language}:hard-benign:${kind}:${index}`));
    }
    for (const [label, texts] of Object.entries(hard.harmful) as [TrainingLabel, readonly string[]][]) {
      texts.forEach((text, index) => add(text, [label], `${hard.language}:hard-harm:${label}:${index}`));
    }
  }
  return examples;
}

/**
 * The minimal pairs of every language (see `MinimalPairTexts`): each template's frames × fillers, benign and
 * harmful, with one family per filler (`<language>:pair:<kind>:<template>:benign:<index>`, `…:harm:<index>`, so a
 * held-out filler is never seen in any frame), and the free-form texts, one family each
 * (`<language>:pair-free:<kind or label>:<index>`). Each text as written and in one variant.
 */
export function minimalPairExamples(pick: () => number): TrainingExample[] {
  const examples: TrainingExample[] = [];
  for (const pairs of minimalPairTexts) {
    const add = (texts: readonly string[], labels: TrainingLabel[], family: string) => {
      for (const text of texts)
        for (const variant of variants(text, pick))
          examples.push({ text: variant, labels, language: pairs.language, family });
    };
    const frame = (frames: readonly string[], filler: string) => frames.map((each) => each.replace('{x}', filler));
    pairs.templates.forEach((template, index) => {
      template.benignFillers.forEach((filler, at) =>
        add(frame(template.benignFrames, filler), [], `${pairs.language}:pair:${template.kind}:${index}:benign:${at}`),
      );
      template.harmfulFillers.forEach((filler, at) =>
        add(
          frame(template.harmfulFrames, filler),
          [template.label],
          `${pairs.language}:pair:${template.kind}:${index}:harm:${at}`,
        ),
      );
    });
    for (const [kind, texts] of Object.entries(pairs.freeBenign))
      texts.forEach((text, at) => add([text], [], `${pairs.language}:pair-free:${kind}:${at}`));
    for (const [label, texts] of Object.entries(pairs.freeHarmful) as [TrainingLabel, readonly string[]][])
      texts.forEach((text, at) => add([text], [label], `${pairs.language}:pair-free:${label}:${at}`));
  }
  return examples;
}

/** Whether a training text is one of the minimal pairs (templated or free-form). */
export function isMinimalPair(example: TrainingExample): boolean {
  return /:pair(-free)?:/.test(example.family);
}

/** Whether a training text is one of the hard negatives or their harmful counterparts. */
export function isHardNegative(example: TrainingExample): boolean {
  return /:hard-(benign|harm):/.test(example.family);
}

/** Whether a training text is one of the conversational texts. */
export function isConversational(example: TrainingExample): boolean {
  return /:talk(-benign)?:/.test(example.family);
}

/** Whether a training text is one of the free-form texts. */
export function isFreeForm(example: TrainingExample): boolean {
  return /:free(-benign)?:/.test(example.family);
}

/**
 * All training texts, of every language, in a fixed order: the templated texts, then (with `hardNegatives`)
 * the hard negatives, then (with `minimalPairs`) the minimal pairs, then (with `freeForm`) the free-form texts,
 * then (with `conversational`) the conversational texts. The templated texts are the same either way.
 */
export function trainingExamples(
  pick: () => number,
  options: { freeForm?: boolean; hardNegatives?: boolean; minimalPairs?: boolean; conversational?: boolean } = {},
): TrainingExample[] {
  const templated = languagePacks.flatMap((pack) => examplesOf(pack, pick));
  const hard = options.hardNegatives ? hardNegativeExamples(pick) : [];
  const pairs = options.minimalPairs ? minimalPairExamples(pick) : [];
  const free = options.freeForm ? freeFormExamples(pick) : [];
  return [...templated, ...hard, ...pairs, ...free, ...(options.conversational ? conversationalExamples(pick) : [])];
}
