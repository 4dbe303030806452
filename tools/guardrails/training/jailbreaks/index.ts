/**
 * The team's jailbreak-structure set (issue 14, fourteenth pass): jailbreak-style prompts by family in six languages
 * and benign prompts that look like them, each in a fixed half. `develop` may be read and chosen on; `check` is
 * counted once. The half is fixed by a hash before any rule was written: of the text for the English and benign
 * texts, of the family and position for the other languages' jailbreaks, whose lists are parallel (the same item in
 * five languages falls in one half, so a translation cannot leak across halves).
 */
import { createHash } from 'node:crypto';
import { englishJailbreaks } from './english-jailbreaks.js';
import type { JailbreakText } from './jailbreak-text.js';
import { lookAlikeBenign } from './look-alike-benign.js';
import { leadTexts, operatorSystemPrompts, scopedUserTurns } from './operator-prompts-benign.js';
import { otherLanguageJailbreaks } from './other-language-jailbreaks.js';
import { scopedPersonaPairs } from './scoped-persona-pairs.js';

export type { JailbreakText } from './jailbreak-text.js';

/** A text of the set with its language, label and half. */
export interface JailbreakSetText {
  text: string;
  language: string;
  jailbreak: boolean;
  family?: JailbreakText['family'];
  half: 'develop' | 'check';
  /**
   * Which list it comes from: the fourteenth pass's jailbreaks and look-alikes, or the fifteenth pass's operator
   * system prompts (judged as the system turn) and scoped user turns, or the sixteenth pass's minimal pairs in five
   * languages: the scoped, benign member and the unscoped, jailbreak member.
   */
  source:
    | 'jailbreaks'
    | 'look-alikes'
    | 'operator-prompts'
    | 'scoped-user-turns'
    | 'scoped-pairs-benign'
    | 'scoped-pairs-jailbreak';
  /** The turn a deployment would send it in. */
  role: 'system' | 'user';
}

/** The half of a key: even first byte of its SHA-256 is `develop`, odd is `check`. */
export function jailbreakHalf(key: string): 'develop' | 'check' {
  return (createHash('sha256').update(key, 'utf8').digest()[0] ?? 0) % 2 === 0 ? 'develop' : 'check';
}

/** The fifteenth pass's benign texts by the same hash, except the lead's three texts, which the issue puts in develop. */
function benignHalf(text: string): 'develop' | 'check' {
  return leadTexts.includes(text) ? 'develop' : jailbreakHalf(text);
}

/**
 * Every text of the set: the jailbreaks of each language, the look-alike benign texts, the fifteenth pass's operator
 * system prompts and scoped user turns, then the sixteenth pass's minimal pairs (both members of pair *i* in every
 * language fall in the half of `scoped-pair#<i>`).
 */
export function jailbreakSet(): JailbreakSetText[] {
  const texts: JailbreakSetText[] = englishJailbreaks.map(({ family, text }) => ({
    text,
    language: 'eng',
    jailbreak: true,
    family,
    half: jailbreakHalf(text),
    source: 'jailbreaks',
    role: 'user',
  }));
  for (const [language, items] of Object.entries(otherLanguageJailbreaks)) {
    items.forEach(({ family, text }, index) =>
      texts.push({
        text,
        language,
        jailbreak: true,
        family,
        half: jailbreakHalf(`${family}#${index}`),
        source: 'jailbreaks',
        role: 'user',
      }),
    );
  }
  for (const [language, items] of Object.entries(lookAlikeBenign)) {
    for (const text of items)
      texts.push({ text, language, jailbreak: false, half: jailbreakHalf(text), source: 'look-alikes', role: 'user' });
  }
  for (const [source, role, lists] of [
    ['operator-prompts', 'system', operatorSystemPrompts],
    ['scoped-user-turns', 'user', scopedUserTurns],
  ] as const) {
    for (const [language, items] of Object.entries(lists)) {
      for (const text of items) texts.push({ text, language, jailbreak: false, half: benignHalf(text), source, role });
    }
  }
  for (const [language, pairs] of Object.entries(scopedPersonaPairs)) {
    pairs.forEach(({ scoped, unscoped }, index) => {
      const half = jailbreakHalf(`scoped-pair#${index}`);
      texts.push({ text: scoped, language, jailbreak: false, half, source: 'scoped-pairs-benign', role: 'user' });
      texts.push({ text: unscoped, language, jailbreak: true, half, source: 'scoped-pairs-jailbreak', role: 'user' });
    });
  }
  return texts;
}
