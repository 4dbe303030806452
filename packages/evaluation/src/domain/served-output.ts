/**
 * The context string of a retrieved passage as judges and metrics see it: `<title> › <section>` on a first line of
 * location metadata, then the passage text; the text alone without a title. In-process pipeline targets and
 * endpoint targets both build it, so a version scores the same either way.
 */
export function retrievalContextString(passage: { title?: string; section?: string; text: string }): string {
  if (!passage.title) return passage.text;
  const location = passage.section ? `${passage.title} › ${passage.section}` : passage.title;
  return `${location}\n${passage.text}`;
}

/**
 * The output recorded for a request a guardrail blocked: a refusal with the block's reason, as a served client sees
 * it. Judged like any answer, so an example that expects a refusal passes and any other counts as not answered,
 * never as a target error.
 */
export function guardrailRefusalOutput(reason: string): string {
  return `This request was blocked by the guardrails: ${reason}`;
}
