import type { GuardrailFinding } from './guardrail-verdict.js';
import { alternation as any, foldCharacters, normalizeForMatching } from './text-normalization.js';
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
}

const overrideVerbs = any([
  'ignore',
  'disregard',
  'forget',
  'override',
  'bypass',
  'skip',
  'drop',
  'abandon',
  'neglect',
  'set aside',
  'throw out',
  'delete',
]);
const earlier = any([
  'previous',
  'prior',
  'above',
  'earlier',
  'preceding',
  'former',
  'original',
  'initial',
  'all',
  'any',
  'your',
  'the',
  'system',
  'developer',
  'these',
  'those',
  'every',
  'existing',
  'current',
  'old',
]);
const instructions = any([
  'instructions',
  'instruction',
  'prompts',
  'prompt',
  'rules',
  'directions',
  'directives',
  'guidelines',
  'guardrails',
  'constraints',
  'restrictions',
  'programming',
  'commands',
  'policies',
  'policy',
  'safety filters',
  'filters',
  'system message',
  'training',
  'knowledge base',
  'context you were given',
  'documents you were given',
]);
const unrestricted = any([
  'dan',
  'jailbroken',
  'jailbreak',
  'unrestricted',
  'unfiltered',
  'uncensored',
  'evil',
  'amoral',
  'unaligned',
  'not bound by',
  'free of all restrictions',
  'without restrictions',
  'without any restrictions',
  'without filters',
  'with no rules',
  'with no restrictions',
  'with no limits',
  'with no filters',
  'with no guidelines',
  'an ai without',
  'a model without',
  'no longer an ai',
  'no longer bound',
]);
const secretPrompt = any([
  'system prompt',
  'system message',
  'initial instructions',
  'initial prompt',
  'hidden instructions',
  'hidden prompt',
  'original instructions',
  'original prompt',
  'instructions above',
  'prompt above',
  'preprompt',
  'pre prompt',
  'developer message',
  'developer instructions',
  'secret instructions',
  'confidential instructions',
]);

const rules: readonly InjectionRule[] = [
  {
    id: 'injection.ignore_previous',
    category: 'instruction_override',
    pattern: new RegExp(`\\b${overrideVerbs} (?:\\w+ ){0,3}?${earlier} (?:\\w+ ){0,2}?${instructions}\\b`),
  },
  {
    id: 'injection.ignore_everything',
    category: 'instruction_override',
    pattern:
      /\b(?:ignore|disregard|forget) (?:everything|all of that|all that|what) (?:you were told|(?:i|they|we) (?:told|said) (?:you )?before|above|before this|previously)\b/,
  },
  {
    id: 'injection.unrestricted_persona',
    category: 'jailbreak_roleplay',
    pattern: new RegExp(
      `\\b(?:you are now|you are no longer|from now on you are|act as|pretend to be|pretend you are|behave as|roleplay as|role play as|you will act as|simulate) (?:\\w+ ){0,3}?${unrestricted}\\b`,
    ),
  },
  { id: 'injection.do_anything_now', category: 'jailbreak_roleplay', pattern: /\bdo anything now\b/ },
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
      `\\b(?:reveal|show|print|repeat|output|display|tell me|give me|leak|dump|recite|echo|copy|paste|write out|translate|summarize|summarise|paraphrase|rewrite|encode|spell out|share|send|list|what (?:is|are|was|were)) (?:\\w+ ){0,2}?(?:your|the|my|its) (?:\\w+ )?${secretPrompt}\\b`,
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
  // Text that tells a reader to hand over credentials: planted in a help-center passage, it makes the
  // assistant pass a phishing request on to the user.
  {
    id: 'injection.send_credentials',
    category: 'credential_phishing',
    negatable: true,
    pattern:
      /\b(?:email|e mail|send|mail|text|forward|give|share|provide|submit|reply with|dm|post|paste) (?:\w+ ){0,2}?(?:your|their|the users|users|his|her) (?:\w+ )?(?:password|passwords|passcode|credentials|login details|sign in details|2fa codes?|verification codes?|one time codes?|recovery codes?|card numbers?|card details|pin|security answers?)\b(?! (?:reset|resets|manager|managers|policy|policies|requirements?|rules|change|changes|strength|length|field|page|link|links|email|emails|expiry|expiration))/,
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
 * the system prompt, injected "new instructions", and forged role markup (`<|im_start|>system`,
 * `[INST]`, a `System:` line). Matched on normalised text (so `1gn0re prev10us instructi0ns`
 * matches) except markup, which is matched on the raw text.
 *
 * The text is read as written and in every decoded form that carries words (see `readingsOf`).
 * `ignoreNegated: true` is for instructions the operator wrote and for assistant turns: there a
 * negated match ("never reveal your system prompt", "I cannot reveal my system prompt") is a rule or a
 * refusal, not an attack, and does not count.
 *
 * Known limits: heuristics catch the common phrasings, not a determined attacker; a user who
 * legitimately writes "please disregard my previous instructions" is flagged too, which is why
 * the action is configurable per policy.
 */
export function detectInjection(text: string, options: { ignoreNegated?: boolean } = {}): GuardrailFinding[] {
  const findings: GuardrailFinding[] = [];
  const found = new Set<string>();
  for (const reading of readingsOf(text)) {
    const normalized = normalizeForMatching(reading.text);
    const folded = foldCharacters(reading.text);
    for (const rule of rules) {
      if (found.has(rule.id)) continue;
      const checked = rule.raw ? [reading.text, folded] : [normalized];
      const matched = checked.some((text) => {
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

/** A negation just before a match ("never reveal your system prompt", "do not ignore these rules"). */
const negated = /\b(?:never|not|dont|cannot|cant|wont|refuse to|nor)(?: \w+){0,3} $/;

/** A negation right before a match, no word between ("never share your password", "do not verify your account"). */
const negatedRightBefore = /\b(?:never|not|dont|don't|don’t|cannot|cant|can't|wont|won't)\s+$/i;

/** True when the pattern matches somewhere not negated (as `negation` tells from the text just before). */
function matchesUnnegated(pattern: RegExp, text: string, negation: RegExp): boolean {
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  for (const match of text.matchAll(global)) {
    if (!negation.test(text.slice(Math.max(0, match.index - 40), match.index))) return true;
  }
  return false;
}
