import type { GuardrailFinding } from './guardrail-verdict.js';
import { alternation as any, foldCharacters, normalizeForMatching } from './text-normalization.js';
import { type InjectionPhrasings, injectionPhrasings } from './injection-phrasings.js';
import { readingsOf } from './text-readings.js';

/** A prompt-injection pattern: over normalised text, or over the raw text for markup. */
interface InjectionRule {
  id: string;
  category:
    | 'instruction_override'
    | 'jailbreak_roleplay'
    | 'prompt_exfiltration'
    | 'role_marker'
    | 'instruction_injection'
    | 'credential_phishing';
  pattern: RegExp;
  raw?: boolean;
  /**
   * Advice says the same words negated ("never share your password with anyone"): a match right after
   * a negation does not count, wherever the text comes from.
   */
  negatable?: boolean;
  /**
   * A jailbreak-template structure rule (fourteenth pass): not run on the operator's instructions or assistant turns,
   * where "never refuse", "stay in character" and "no disclaimers" are an operator's ordinary rules (fifteenth pass).
   */
  structure?: boolean;
}

/** The phrasings of every covered language, English first. */
const languages = Object.values(injectionPhrasings);

/**
 * One pattern source for every language that has the words it needs: `build` puts one language's words together
 * (through `any`), and the languages' sources are joined as alternatives. A language whose lists a rule needs are
 * empty is left out (an empty alternation would match anywhere).
 */
function everyLanguage(
  needs: readonly (keyof InjectionPhrasings)[],
  build: (words: Words, phrasings: InjectionPhrasings) => string,
): string {
  const sources = languages
    .filter((phrasings) => needs.every((need) => (phrasings[need] ?? []).length > 0))
    .map((phrasings) => build(wordsOf(phrasings), phrasings));
  return sources.map((source) => `(?:${source})`).join('|');
}

/**
 * What may follow a credential request that makes it advice, as a negative lookahead: its destination is a place
 * where credentials are rightly entered ("only on the sign-in page"), with no link after it; or, in a language that
 * puts the negation after the object (German), a negation ("Sende dein Passwort niemals per E-Mail").
 */
function adviceAfterCredentials(phrasings: InjectionPhrasings): string {
  const negation = phrasings.negationsAfterObject ? `|(?:\\w+ ){0,2}?${any(phrasings.negationsAfterObject)}\\b` : '';
  return `(?! (?:${entryPlace(phrasings)}${negation}|${any(phrasings.nobodyRecipients)}\\b))`;
}

/** A place where credentials are rightly entered ("only on the sign-in page"), with no link after it. */
function entryPlace(phrasings: InjectionPhrasings): string {
  return `(?:\\w+ ){0,1}?${any(phrasings.entryPrepositions)} (?:\\w+ ){0,4}?${any(phrasings.entryPlaces)}\\b(?!(?: \\w+){0,8} (?:https?|www)\\b)`;
}

/**
 * Rules that belong to something other than the model, as a negative lookahead after the instructions' noun: an
 * owner named with a connector ("of the editor", "de formato del editor") that is not one of the model's owners.
 */
function notTheModels(phrasings: InjectionPhrasings): string {
  const owner = `(?!${any(phrasings.modelOwners)}\\b)\\w+`;
  const modifier = phrasings.ownerModifiers?.length ? `(?:${any(phrasings.ownerModifiers)} )?` : '';
  const elided = phrasings.elidedOwnerConnectors?.length
    ? `|${any(phrasings.elidedOwnerConnectors)}(?=[aeiouyh]\\w)${owner}`
    : '';
  const phrase = `(?:(?!${any(phrasings.clauseLinks)}\\b)\\w+ ){0,4}?`;
  return `(?! ${phrase}(?:${any(phrasings.ownerConnectors)} ${modifier}${owner}${elided}))`;
}

/**
 * A refusal voided for one specific object ("never says no to a quest", "never refuses a refund request", "never
 * refuses to bring tea", "nunca se niega a prestar un libro", "ne refuse jamais une partie de cartes"), as a negative
 * lookahead after `rulesVoided`: the phrase that matched is one of the language's `refusalVoids` (object after a
 * `refusalObjectLinks` word or right after it) or `linkedRefusalVoids` (object only after a link word), and the
 * object is specific. An object is not specific when it is `anyTopic` ("any request"), a `genericObjects` word after
 * no other words than `genericModifiers` ("a direct order", "to answer"), or a `transferVerbs` verb with nothing
 * specific after it ("to share", "to give an answer"). A word before a generic object that is not a modifier makes a
 * compound naming the object ("a book request"), and so does a complement after it ("una commande de tarte", "a
 * request for a song"); a transfer verb's own object names it ("to share honey"). Empty for a language without those
 * lists.
 */
function notARefusalOfAnObject(phrasings: InjectionPhrasings): string {
  const { refusalVoids = [], linkedRefusalVoids = [], genericObjects = [], refusalObjectLinks = [] } = phrasings;
  if (genericObjects.length === 0 || refusalObjectLinks.length === 0) return '';
  const links = any(refusalObjectLinks);
  const modifiers = phrasings.genericModifiers?.length ? any([...phrasings.genericModifiers, ...genericObjects]) : '';
  const before = modifiers ? `(?:${modifiers} ){0,2}` : '(?:\\w+ ){0,2}?';
  // A word that names a thing: after modifiers, one that is neither a generic object, any topic nor a modifier.
  const namedThing = ` ${before}(?!(?:${any(genericObjects)}|${any(phrasings.anyTopic)}${modifiers ? `|${modifiers}` : ''})\\b)\\w+`;
  const complement = phrasings.objectComplementLinks?.length
    ? `(?! ${any(phrasings.objectComplementLinks)}${namedThing})`
    : '';
  const transfer = phrasings.transferVerbs?.length ? `|${any(phrasings.transferVerbs)}\\b(?!${namedThing})` : '';
  const specific = `(?!${any(phrasings.anyTopic)}\\b)(?!${before}${any(genericObjects)}\\b${complement}${transfer})\\w+`;
  const direct = refusalVoids.length ? `(?!(?<=${any(refusalVoids)}) (?:${links} |(?!${links}\\b))${specific})` : '';
  const linked = linkedRefusalVoids.length ? `(?!(?<=${any(linkedRefusalVoids)}) ${links} ${specific})` : '';
  return `${direct}${linked}`;
}

/**
 * A rule-voiding clause scoped to a topic, as a negative lookahead after it: a `topicScopes` word ("about", "sobre",
 * "zu") followed by a topic, that is neither `anyTopic` ("what", "anything") nor a generic object ("zu antworten",
 * "on any request" — German "zu" also marks an infinitive).
 */
function notScopedToATopic(words: Words, phrasings: InjectionPhrasings): string {
  const generic = phrasings.genericObjects?.length ? `(?!${words.genericObjects}\\b)` : '';
  return `(?! ${words.topicScopes} (?!${words.anyTopic}\\b)${generic})`;
}

/** A statement that the task is over ("is done"), as a negative lookahead after "your only task now". */
function notDone(phrasings: InjectionPhrasings): string {
  return `(?! (?:\\w+ ){0,2}?${any(phrasings.doneWords)}\\b)`;
}

/**
 * Two parts of a jailbreak within `words` words of each other, in either order: the structure, not the words, is
 * what a template keeps when it is reworded.
 */
function near(first: string, second: string, words: number): string {
  return `\\b${first} (?:\\w+ ){0,${words}}?${second}\\b|\\b${second} (?:\\w+ ){0,${words}}?${first}\\b`;
}

/** A language's phrasings, each list as an alternation ready to put in a pattern. */
type Words = Record<keyof InjectionPhrasings, string>;
function wordsOf(phrasings: InjectionPhrasings): Words {
  const words = {} as Words;
  for (const key of Object.keys(phrasings) as (keyof InjectionPhrasings)[]) words[key] = any(phrasings[key] ?? []);
  return words;
}

const rules: readonly InjectionRule[] = [
  {
    id: 'injection.ignore_previous',
    category: 'instruction_override',
    pattern: new RegExp(
      everyLanguage(
        ['overrideVerbs', 'earlier', 'instructions'],
        (words, phrasings) =>
          `\\b${words.overrideVerbs} (?:\\w+ ){0,3}?${words.earlier} (?:\\w+ ){0,2}?${words.instructions}\\b${notTheModels(phrasings)}`,
      ),
    ),
  },
  {
    id: 'injection.ignore_everything',
    category: 'instruction_override',
    pattern: new RegExp(
      everyLanguage(
        ['forgetVerbs', 'everything', 'before'],
        (words) => `\\b${words.forgetVerbs} ${words.everything} (?:\\w+ ){0,2}?${words.before}\\b`,
      ),
    ),
  },
  {
    id: 'injection.unrestricted_persona',
    category: 'jailbreak_roleplay',
    pattern: new RegExp(
      everyLanguage(
        ['personaOpeners', 'unrestricted', 'topicScopes', 'anyTopic'],
        (words) =>
          `\\b${words.personaOpeners} (?:\\w+ ){0,3}?${words.unrestricted}\\b(?! ${words.topicScopes} (?!${words.anyTopic}\\b))`,
      ),
    ),
  },
  {
    id: 'injection.unrestricted_from_now',
    category: 'jailbreak_roleplay',
    pattern: new RegExp(
      everyLanguage(
        ['fromNow', 'unrestricted', 'topicScopes', 'anyTopic'],
        (words) =>
          `\\b${words.fromNow} (?:\\w+ ){0,4}?${words.unrestricted}\\b(?! ${words.topicScopes} (?!${words.anyTopic}\\b))`,
      ),
    ),
  },
  { id: 'injection.do_anything_now', category: 'jailbreak_roleplay', pattern: /\bdo anything now\b/ },
  // Jailbreak templates by their structure (fourteenth pass): a role, mode or frame is set up and the model's
  // refusals, rules or policies are declared void for it, or a second, rule-free answer is demanded.
  {
    id: 'injection.role_without_rules',
    category: 'jailbreak_roleplay',
    structure: true,
    pattern: new RegExp(
      everyLanguage(['roleSetups', 'rulesVoided', 'topicScopes', 'anyTopic'], (words, phrasings) =>
        near(
          words.roleSetups,
          `${words.rulesVoided}\\b${notScopedToATopic(words, phrasings)}${notARefusalOfAnObject(phrasings)}`,
          40,
        ),
      ),
    ),
  },
  {
    id: 'injection.two_answers_one_unrestricted',
    category: 'jailbreak_roleplay',
    structure: true,
    pattern: new RegExp(
      everyLanguage(['twoAnswers', 'rulesVoided'], (words) => near(words.twoAnswers, words.rulesVoided, 30)),
    ),
  },
  {
    id: 'injection.stay_in_character_no_refusal',
    category: 'jailbreak_roleplay',
    structure: true,
    pattern: new RegExp(
      everyLanguage(['characterEnforcement', 'refusals', 'rulesVoided'], (words) =>
        near(words.characterEnforcement, `(?:${words.refusals}|${words.rulesVoided})`, 25),
      ),
    ),
  },
  {
    id: 'injection.no_refusals_no_warnings',
    category: 'jailbreak_roleplay',
    structure: true,
    pattern: new RegExp(
      everyLanguage(['noRefusalDemands', 'noWarningDemands'], (words) =>
        near(words.noRefusalDemands, `(?:${words.noRefusalDemands}|${words.noWarningDemands})`, 15),
      ),
    ),
  },
  {
    id: 'injection.special_mode',
    category: 'jailbreak_roleplay',
    pattern:
      // Developer and debug modes are also real settings of apps, browsers and devices: a mode named with
      // where it lives ("developer mode in the desktop app", "on Android") is a support question.
      /\b(?:enable|activate|enter|switch to|you are in|you are now in|turn on) (?:\w+ )?(?:developer|god|jailbreak|dan|debug|sudo|admin|unrestricted) mode\b(?! (?:in|on|for|of) (?:the |my |our |this |a )?(?:\w+ )?(?:app|apps|application|desktop|mobile|web|ios|android|iphone|ipad|windows|mac|macos|linux|chrome|firefox|safari|edge|browser|settings|phone|device|extension|editor|ide|console|api|cli|terminal|client|plugin)\b)/,
  },
  {
    id: 'injection.no_rules',
    category: 'jailbreak_roleplay',
    pattern:
      /\b(?:no|without any|without) (?:rules|restrictions|filters|limits|guidelines|censorship|content policy|safety) (?:apply|applies|anymore|any more|from now on)\b|\b(?:your|the|all|safety|content|ethical|security) (?:rules|restrictions|guidelines|filters|guardrails|policies|protocols) (?:no longer apply|(?:are|have been|were|is|has been) (?:now )?(?:disabled|lifted|removed|suspended|turned off|switched off|deactivated|off))\b/,
  },
  {
    id: 'injection.reveal_prompt',
    category: 'prompt_exfiltration',
    pattern: new RegExp(
      everyLanguage(
        ['revealVerbs', 'possessives', 'secretPrompt'],
        (words) => `\\b${words.revealVerbs} (?:\\w+ ){0,2}?${words.possessives} (?:\\w+ )?${words.secretPrompt}\\b`,
      ),
    ),
  },
  {
    id: 'injection.told_before',
    category: 'prompt_exfiltration',
    pattern: new RegExp(
      everyLanguage(['toldYou', 'toldBefore'], (words) => `\\b${words.toldYou} (?:\\w+ ){0,4}?${words.toldBefore}\\b`),
    ),
  },
  {
    id: 'injection.full_instructions',
    category: 'prompt_exfiltration',
    pattern:
      /\b(?:full|complete|entire|exact|whole|verbatim|original) (?:text|content|contents|wording|copy) of (?:your|the|its) (?:\w+ )?(?:instructions|prompt|system prompt|rules|guidelines|configuration|directives)\b/,
  },
  {
    id: 'injection.repeat_above',
    category: 'prompt_exfiltration',
    pattern:
      /\b(?:repeat|print|output|recite) (?:everything|the text|all text|all the text|the words|all words|the words|the content|verbatim)(?: \w+){0,2} (?:above|before this|that came before)\b/,
  },
  {
    id: 'injection.new_instructions',
    category: 'instruction_injection',
    pattern:
      /\b(?:new|updated|real|actual|revised|true|important|urgent) (?:system )?(?:instructions?|rules|directives|task) ?(?:follow|are|is|from the (?:developer|admin|system))\b|\bfrom now on,? (?:(?:you|u) )?(?:(?:will|must|shall|should|are going to) )?(?:only )?(?:obey me|obey only|ignore)\b/,
  },
  {
    id: 'injection.authority_instructions',
    category: 'instruction_injection',
    pattern: new RegExp(
      everyLanguage(
        ['newWords', 'orders', 'from', 'authority'],
        (words) =>
          `\\b(?:${words.newWords} (?:\\w+ )?${words.orders}|${words.orders} ${words.newWords}) ${words.from} ${words.authority}\\b`,
      ),
    ),
  },
  {
    id: 'injection.only_task',
    category: 'instruction_injection',
    pattern: new RegExp(
      everyLanguage(
        ['onlyTask', 'now'],
        (words, phrasings) =>
          `\\b${words.onlyTask} (?:\\w+ ){0,2}?${words.now}\\b${notDone(phrasings)}|\\b${words.now} (?:\\w+ ){0,3}?${words.onlyTask}\\b${notDone(phrasings)}`,
      ),
    ),
  },
  {
    id: 'injection.note_to_model',
    category: 'instruction_injection',
    pattern: new RegExp(everyLanguage(['noteTo'], (words) => `\\b${words.noteTo}\\b`)),
  },
  // Text that tells a reader to hand over credentials: planted in a help-center passage, it makes the
  // assistant pass a phishing request on to the user.
  {
    id: 'injection.send_credentials',
    category: 'credential_phishing',
    negatable: true,
    pattern: new RegExp(
      [
        String.raw`\b(?:email|e mail|send|mail|text|forward|give|share|provide|submit|reply with|dm|post|paste) (?:\w+ ){0,2}?(?:your|their|the users|users|his|her) (?:\w+ )?(?:password|passwords|passcode|credentials|login details|sign in details|2fa codes?|verification codes?|one time codes?|recovery codes?|card numbers?|card details|pin|security answers?)\b(?! (?:reset|resets|manager|managers|policy|policies|requirements?|rules|change|changes|strength|length|field|page|link|links|email|emails|expiry|expiration))` +
          adviceAfterCredentials(injectionPhrasings.eng),
        everyLanguage(
          ['credentialVerbs', 'owners', 'credentials'],
          (words, phrasings) =>
            `\\b${words.credentialVerbs} (?:\\w+ ){0,2}?${words.owners} (?:\\w+ )?${words.credentials}\\b${adviceAfterCredentials(phrasings)}`,
        ),
        // A verb that ends the clause (German) has the negation between object and verb ("dein Passwort niemals senden").
        everyLanguage(
          ['credentialVerbsLast', 'owners', 'credentials', 'negations'],
          (words, phrasings) =>
            `\\b${words.owners} (?:\\w+ )?${words.credentials} (?!${entryPlace(phrasings)})(?:(?!${words.negations}\\b)\\w+ ){0,5}?${words.credentialVerbsLast}\\b`,
        ),
      ].join('|'),
    ),
  },
  {
    id: 'injection.credentials_at_link',
    category: 'credential_phishing',
    raw: true,
    negatable: true,
    pattern:
      /\b(?:re-?enter|confirm|verify|validate)\b[^\n]{0,60}?\b(?:your|their)\s+(?:\w+\s+)?(?:password|passwords|credentials|login details|card (?:number|details)|account details)\b[^\n]{0,80}?(?:https?:\/\/|www\.)|\bverify\s+(?:your|their)\s+(?:account|identity|login)\b[^\n]{0,60}?(?:https?:\/\/|www\.)/i,
  },
  {
    id: 'injection.chat_markup',
    category: 'role_marker',
    raw: true,
    pattern:
      /<\|(?:im_start|im_end|system|assistant|user|endoftext|begin_of_text|start_header_id|eot_id)\|>|<<\/?SYS>>|\[\/?INST\]|<\/?(?:system|system_prompt|instructions)>/i,
  },
  {
    id: 'injection.role_line',
    category: 'role_marker',
    raw: true,
    pattern:
      /(?:^|\n)[ \t]*(?:#{2,6}[ \t]*(?:system|developer)(?:[ \t]+(?:prompt|message|instructions?))?[ \t]*:?[ \t]*(?:\n|$)|\[?(?:system|developer)[ \t]+(?:prompt|message|instructions?|override)\]?[ \t]*:)/i,
  },
];

/**
 * Prompt-injection heuristics: instruction overrides ("ignore all previous instructions" and its
 * variants), jailbreak personas and modes ("you are now DAN", "developer mode"), attempts to read
 * the system prompt, injected "new instructions" (from an "administrator", "your only task now", a "note to the
 * assistant"), jailbreak templates by their structure (a role or mode set up near a clause voiding refusals or
 * policies, two answers one of them rule-free, stay-in-character with refusal penalties, stacked "never refuse … no
 * warnings" demands), credential phishing, and forged role markup (`<|im_start|>system`, `[INST]`, a `System:` line).
 * The overrides, personas, jailbreak structures, prompt requests, injected instructions and phishing are worded in every covered language
 * (English, Spanish, French, German, Portuguese, Italian: `injection-phrasings.ts`); modes, markup and the rest in
 * English. Matched on normalised text (so `1gn0re prev10us instructi0ns` and `Einschränkungen` without its umlaut
 * match) except markup, which is matched on the raw text.
 *
 * The text is read as written and in every decoded form that carries words (see `readingsOf`).
 * `ignoreNegated: true` is for instructions the operator wrote and for assistant turns: there a
 * negated match ("never reveal your system prompt", "I cannot reveal my system prompt") is a rule or a
 * refusal, not an attack, and does not count. `jailbreakStructure: false` skips the four jailbreak-structure rules,
 * for the operator's instructions and assistant turns (an operator legitimately writes "never refuse to cancel a
 * subscription", "stay in character"; wiki/Serving.md, fifteenth pass).
 *
 * Known limits: heuristics catch the common phrasings, not a determined attacker; a user who
 * legitimately writes "please disregard my previous instructions" is flagged too, which is why
 * the action is configurable per policy.
 */
export function detectInjection(
  text: string,
  options: { ignoreNegated?: boolean; jailbreakStructure?: boolean } = {},
): GuardrailFinding[] {
  const checked = options.jailbreakStructure === false ? rules.filter((rule) => !rule.structure) : rules;
  const findings: GuardrailFinding[] = [];
  const found = new Set<string>();
  for (const reading of readingsOf(text)) {
    const normalized = normalizeForMatching(reading.text);
    const folded = foldCharacters(reading.text);
    for (const rule of checked) {
      if (found.has(rule.id)) continue;
      const forms = rule.raw ? [reading.text, folded] : [normalized];
      const matched = forms.some((text) => {
        if (options.ignoreNegated) return matchesUnnegated(rule.pattern, text, negated);
        return rule.negatable ? matchesUnnegated(rule.pattern, text, negatedRightBefore) : rule.pattern.test(text);
      });
      if (!matched) continue;
      found.add(rule.id);
      findings.push({
        category: rule.category,
        rule: rule.id,
        ...(reading.decoded.length > 0 ? { decoded: reading.decoded.join('+') } : {}),
      });
    }
  }
  return findings;
}

/** Every rule-voiding phrase of every language ("no restrictions", "nunca se niega"), wherever it stands. */
const ruleVoidingPhrase = new RegExp(
  everyLanguage(['rulesVoided'], (words) => `\\b${words.rulesVoided}\\b`),
  'g',
);

/**
 * A rule-voiding phrase that `role_without_rules` counts (not scoped to a topic or one object), tried where a phrase
 * starts.
 */
const unscopedRuleVoid = new RegExp(
  everyLanguage(
    ['rulesVoided', 'topicScopes', 'anyTopic'],
    (words, phrasings) =>
      `\\b${words.rulesVoided}\\b${notScopedToATopic(words, phrasings)}${notARefusalOfAnObject(phrasings)}`,
  ),
  'y',
);

/**
 * The text, normalised, with its scoped rule-voiding phrases taken out ("no restrictions on which cuisines", "never
 * says no to a quest", "nunca se niega a prestar un libro"), or `undefined` when it has none (sixteenth pass). The
 * learned injection head reads this instead of the text: its weight on "restrictions" or "never refuses" is the
 * phrase's, learned from jailbreaks where nothing scoped it, and the rules have already judged the phrase scoped. A
 * phrase the rules count stays, so an unscoped one beside a scoped one is still read.
 */
export function withoutScopedRuleVoids(text: string): string | undefined {
  const normalized = normalizeForMatching(text);
  let scoped = false;
  const kept = normalized.replace(ruleVoidingPhrase, (phrase: string, offset: number) => {
    unscopedRuleVoid.lastIndex = offset;
    if (unscopedRuleVoid.test(normalized)) return phrase;
    scoped = true;
    return ' ';
  });
  return scoped ? kept : undefined;
}

/** A negation just before a match ("never reveal your system prompt", "do not ignore these rules"). */
const negated = new RegExp(`\\b${any(languages.flatMap((phrasings) => phrasings.negations))}(?: \\w+){0,3} $`);

/** A negation right before a match, no word between ("never share your password", "do not verify your account"). */
const negatedRightBefore = new RegExp(
  `\\b${any([...languages.flatMap((phrasings) => phrasings.negations), "don't", 'don’t', "can't", "won't"])}\\s+$`,
  'i',
);

/** True when the pattern matches somewhere not negated (as `negation` tells from the text just before). */
function matchesUnnegated(pattern: RegExp, text: string, negation: RegExp): boolean {
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  for (const match of text.matchAll(global)) {
    if (!negation.test(text.slice(Math.max(0, match.index - 40), match.index))) return true;
  }
  return false;
}
