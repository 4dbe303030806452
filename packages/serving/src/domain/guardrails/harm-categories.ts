/**
 * The harmful-content categories of the local classifier:
 * - `violence`: threats, and requests or stated intent to hurt, kill or attack people or places;
 * - `self_harm`: intent, methods or encouragement of suicide and self-injury;
 * - `hate_harassment`: dehumanising or eliminationist statements about protected groups, and abuse aimed at a person;
 * - `sexual_minors`: any sexual content involving minors;
 * - `dangerous`: instructions for weapons, explosives, chemical or biological agents, hard drugs,
 *   malware, and other clearly illegal acts (theft, fraud, breaking into accounts).
 */
export const harmCategories = ['violence', 'self_harm', 'hate_harassment', 'sexual_minors', 'dangerous'] as const;

/** One of the {@link harmCategories}. */
export type HarmCategory = (typeof harmCategories)[number];

/** True when `value` names a harm category. */
export function isHarmCategory(value: string): value is HarmCategory {
  return (harmCategories as readonly string[]).includes(value);
}
