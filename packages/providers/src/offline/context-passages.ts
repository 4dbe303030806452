import { LlmopsError } from '@llmops/kernel';

/** A passage of retrieved context: its text and, optionally, where it came from (a path, a URL, an id). */
export interface ContextPassage {
  text: string;
  source?: string;
}

/** A passage read back from a prompt by {@link parseContextPassages}: with the number it is cited by. */
export interface NumberedContextPassage extends ContextPassage {
  number: number;
}

/** The line that opens a block of context passages. */
export const contextHeading = 'Context:';

const passageLine = /^\[(\d{1,6})\][ \t]*(?:\(source:[ \t]*([^)\n]*)\)[ \t]*)?(.*)$/;

/** `%`, `)` and line breaks would end a `(source: …)` early, so they are percent-encoded in it. */
function encodeSource(source: string): string {
  return source.replace(/%/g, '%25').replace(/\)/g, '%29').replace(/\r?\n/g, '%0A');
}

function decodeSource(source: string): string {
  return source.replace(/%0A/gi, '\n').replace(/%29/g, ')').replace(/%25/g, '%');
}

/**
 * Formats passages in the context convention of llmops, the one the offline extractive model
 * reads and every pipeline writes:
 *
 * ```text
 * Context:
 * [1] (source: docs/refunds.md) Refunds are issued within 14 days of the return.
 * [2] (source: docs/shipping.md) Orders ship within two business days.
 * ```
 *
 * One passage per line, numbered from 1 in the order given; `[n]` is what answers cite. The text's
 * whitespace (line breaks included) collapses to single spaces so that a passage stays on its line;
 * `(source: …)` is left out when a passage has no source. Put the block in a system or user message,
 * and the question after it (optionally on a line starting with `Question:`).
 * @throws LlmopsError `invalid_input` when a passage has no text.
 */
export function formatContextPassages(passages: readonly ContextPassage[]): string {
  const lines = passages.map((passage, index) => {
    const text = passage.text.replace(/\s+/g, ' ').trim();
    if (text === '') {
      throw new LlmopsError(
        'invalid_input',
        `formatContextPassages: passage ${index + 1} has no text; expected non-empty text`,
      );
    }
    const source = passage.source?.trim();
    return source ? `[${index + 1}] (source: ${encodeSource(source)}) ${text}` : `[${index + 1}] ${text}`;
  });
  return [contextHeading, ...lines].join('\n');
}

/**
 * Reads the passages of the context convention (see {@link formatContextPassages}) out of a text:
 * every line starting with `[n]` followed by text is a passage; the rest of the text (without the
 * `Context:` heading) is returned as `remainder`, trimmed.
 */
export function parseContextPassages(text: string): { passages: NumberedContextPassage[]; remainder: string } {
  const passages: NumberedContextPassage[] = [];
  const rest: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = passageLine.exec(line.trim());
    const passageText = match?.[3]?.trim();
    if (match && passageText) {
      const source = match[2]?.trim();
      passages.push({
        number: Number(match[1]),
        text: passageText,
        ...(source ? { source: decodeSource(source) } : {}),
      });
    } else if (line.trim().toLowerCase() !== contextHeading.toLowerCase()) {
      rest.push(line);
    }
  }
  return { passages, remainder: rest.join('\n').trim() };
}
