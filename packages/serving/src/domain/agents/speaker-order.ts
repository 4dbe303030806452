/** An agent as speaker selection sees it. */
export interface Speaker {
  name: string;
  description: string;
}

/** The agent after `previous` in the team's order; the first agent when none spoke yet. */
export function nextInOrder(speakers: readonly Speaker[], previous: string | undefined): Speaker {
  const index = previous === undefined ? -1 : speakers.findIndex((speaker) => speaker.name === previous);
  return speakers[(index + 1) % speakers.length] as Speaker;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The candidate named last in a text (whole word, any case), or undefined when it names none: how a
 * rule-based selector reads "over to the writer" and how a model's selection reply is read.
 */
export function lastMentioned(text: string, candidates: readonly Speaker[]): Speaker | undefined {
  let best: { speaker: Speaker; at: number } | undefined;
  for (const speaker of candidates) {
    const pattern = new RegExp(`(?<![A-Za-z0-9_-])${escapeRegExp(speaker.name)}(?![A-Za-z0-9_-])`, 'gi');
    for (const match of text.matchAll(pattern)) {
      if (!best || match.index > best.at) best = { speaker, at: match.index };
    }
  }
  return best?.speaker;
}

/** The agents that may speak next: all, or all but the previous speaker when repeats are not allowed (unless it is alone). */
export function speakerCandidates(
  speakers: readonly Speaker[],
  previous: string | undefined,
  allowRepeatedSpeaker: boolean,
): Speaker[] {
  if (allowRepeatedSpeaker || speakers.length === 1) return [...speakers];
  return speakers.filter((speaker) => speaker.name !== previous);
}
