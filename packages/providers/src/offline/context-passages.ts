import { LlmopsError } from '@llmops/kernel';

/** A passage of retrieved context: its text and, optionally, where it came from (a path, a URL, an id). */
export interface ContextPassage {
  text: string;
  source?: string;
}

/**
 * A passage read back from a prompt by {@link parseContextPassages}: with the number it is cited by
 * and, when its line names them (`[n] (<title> › <section>) text`), its document's title and section.
 */
export interface NumberedContextPassage extends ContextPassage {
  number: number;
  title?: string;
  section?: string;
}

/** The line that opens a block of context passages. */
export const contextHeading = 'Context:';

const passageNumber = /^\[(\d{1,6})\][ \t]*/;
/** Separates a passage's title from its section path in a `(<title> › <section>)` label. */
const locationSeparator = '›';
/** At most this many parenthesised labels (a source, a location) open a passage line. */
const maxLabels = 2;

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
 * The length of the label group at the start of `text` (0 when there is none): a `(source: …)` ends
 * at its first `)` (a source's own `)` is percent-encoded), any other group where its parentheses balance.
 */
function groupLength(text: string): number {
  if (!text.startsWith('(')) return 0;
  if (/^\(source:/.test(text)) return text.indexOf(')') + 1;
  let depth = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
    if (depth === 0) return index + 1;
  }
  return 0;
}

interface PassageLabels {
  source?: string;
  title?: string;
  section?: string;
}

/**
 * Reads the labels that open a passage's line: `(source: <path>)` and `(<title> › <section>)` (the
 * section may be a path of several parts, also joined by `›`), in either order. A parenthesised
 * group without `source:` or `›` is the passage's own text (`(Optional) …`), not a label.
 */
function readLabels(line: string): { labels: PassageLabels; text: string } {
  const labels: PassageLabels = {};
  let rest = line;
  for (let count = 0; count < maxLabels; count += 1) {
    const length = groupLength(rest);
    if (length === 0) break;
    const inner = rest.slice(1, length - 1).trim();
    const source = /^source:\s*(.*)$/s.exec(inner);
    if (source && labels.source === undefined) {
      const path = source[1]?.trim();
      if (path) labels.source = decodeSource(path);
    } else if (!source && inner.includes(locationSeparator) && labels.title === undefined) {
      const [title, ...sections] = inner.split(locationSeparator).map((part) => part.trim());
      if (title) labels.title = title;
      const section = sections.filter((part) => part !== '').join(` ${locationSeparator} `);
      if (section) labels.section = section;
    } else break;
    rest = rest.slice(length).trimStart();
  }
  return { labels, text: rest.trim() };
}

/**
 * Reads the passages of the context convention (see {@link formatContextPassages}) out of a text:
 * every line starting with `[n]` followed by text is a passage, optionally labelled with its source
 * (`(source: docs/a.md)`) and with its document's title and section (`(skerry-ship(1) › OPTIONS)`);
 * the rest of the text (without the `Context:` heading) is returned as `remainder`, trimmed.
 */
export function parseContextPassages(text: string): { passages: NumberedContextPassage[]; remainder: string } {
  const passages: NumberedContextPassage[] = [];
  const rest: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    const number = passageNumber.exec(trimmed);
    const { labels, text: passageText } = number
      ? readLabels(trimmed.slice(number[0].length))
      : { labels: {}, text: '' };
    if (number && passageText) {
      passages.push({ number: Number(number[1]), text: passageText, ...labels });
    } else if (trimmed.toLowerCase() !== contextHeading.toLowerCase()) {
      rest.push(line);
    }
  }
  return { passages, remainder: rest.join('\n').trim() };
}
