import { LlmopsError } from '@llmops/kernel';

/** A passage of retrieved context: its text and, optionally, where it came from (a path, a URL, an id). */
export interface ContextPassage {
  text: string;
  source?: string;
  /** The title of the passage's document (`skerry-ship(1)`, an article's heading). */
  title?: string;
  /** Where in the document: its section path (`OPTIONS › --retries=N, -r N`). */
  section?: string;
}

/** A passage read back from a prompt by {@link parseContextPassages}: with the number it is cited by. */
export interface NumberedContextPassage extends ContextPassage {
  number: number;
}

/** The line that opens a block of context passages. */
export const contextHeading = 'Context:';

const passageNumber = /^\[(\d{1,6})\][ \t]*/;
const sourceLabel = 'source: ';
/** Between a passage's document title and its section path, as in the section path itself. */
const locationSeparator = ' › ';

/**
 * `%`, line breaks and unpaired parentheses would end or break the `( … )` of a passage line,
 * so they are percent-encoded; paired ones (`skerry-ship(1)`) stay readable.
 */
function encodeLabel(label: string): string {
  const text = label.replace(/%/g, '%25').replace(/\r?\n/g, '%0A');
  const unpaired = new Set<number>();
  const open: number[] = [];
  for (let index = 0; index < text.length; index += 1) {
    if (text[index] === '(') open.push(index);
    else if (text[index] === ')') {
      if (open.length > 0) open.pop();
      else unpaired.add(index);
    }
  }
  for (const index of open) unpaired.add(index);
  return [...text].map((char, index) => (unpaired.has(index) ? (char === '(' ? '%28' : '%29') : char)).join('');
}

function decodeLabel(label: string): string {
  return label.replace(/%0A/gi, '\n').replace(/%28/g, '(').replace(/%29/g, ')').replace(/%25/g, '%');
}

/** The `( … )` of a passage line: its location (title › section) and its source, either optional. */
function passageHeader(passage: ContextPassage): string | undefined {
  const source = passage.source?.trim();
  const location = [passage.title?.trim(), passage.section?.trim()].filter(Boolean).join(locationSeparator);
  const parts = [location ? encodeLabel(location) : '', source ? `${sourceLabel}${encodeLabel(source)}` : ''];
  const header = parts.filter(Boolean).join('; ');
  return header === '' ? undefined : `(${header})`;
}

/** The `( … )` at the start of a text, by balanced parentheses, or undefined. */
function leadingGroup(text: string): string | undefined {
  if (!text.startsWith('(')) return undefined;
  let depth = 0;
  for (let index = 0; index < text.length; index += 1) {
    if (text[index] === '(') depth += 1;
    else if (text[index] === ')') {
      depth -= 1;
      if (depth === 0) return text.slice(0, index + 1);
    }
  }
  return undefined;
}

/** Reads a header written by {@link passageHeader}; a parenthesis that is not one is left to the text. */
function readHeader(group: string): Omit<ContextPassage, 'text'> | undefined {
  const inner = group.slice(1, -1);
  const sourceAt = inner.startsWith(sourceLabel) ? 0 : inner.lastIndexOf(`; ${sourceLabel}`);
  const location = sourceAt < 0 ? inner : inner.slice(0, sourceAt);
  const source =
    sourceAt < 0 ? undefined : inner.slice(sourceAt + (sourceAt === 0 ? 0 : 2) + sourceLabel.length).trim();
  if (source === undefined && !location.includes(locationSeparator)) return undefined;
  const split = location.indexOf(locationSeparator);
  const title = decodeLabel(split < 0 ? location : location.slice(0, split)).trim();
  const section = split < 0 ? '' : decodeLabel(location.slice(split + locationSeparator.length)).trim();
  return {
    ...(source ? { source: decodeLabel(source) } : {}),
    ...(title ? { title } : {}),
    ...(section ? { section } : {}),
  };
}

/**
 * Formats passages in the context convention of llmops, the one the offline extractive model
 * reads and every pipeline writes:
 *
 * ```text
 * Context:
 * [1] (skerry-ship(1) › OPTIONS › --retries=N, -r N; source: skerry-ship.txt) Try each shard up to N more times…
 * [2] (Refunds; source: docs/refunds.md) Refunds are issued within 14 days of the return.
 * [3] (source: docs/shipping.md) Orders ship within two business days.
 * ```
 *
 * One passage per line, numbered from 1 in the order given; `[n]` is what answers cite. The
 * parentheses say what the passage is about (its document title, then its section path, joined by
 * ` › `) and where it comes from (`source: …`); either part is left out when missing, and the
 * parentheses too when both are (a title alone, with neither section nor source, is read back by
 * {@link parseContextPassages} as part of the text). The text's whitespace (line breaks included) collapses to single
 * spaces so that a passage stays on its line. Put the block in a system or user message,
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
    const header = passageHeader(passage);
    return header ? `[${index + 1}] ${header} ${text}` : `[${index + 1}] ${text}`;
  });
  return [contextHeading, ...lines].join('\n');
}

/**
 * Reads the passages of the context convention (see {@link formatContextPassages}) out of a text:
 * every line starting with `[n]` followed by text is a passage, with the title, section and source
 * its parentheses give (a line in the older `[n] (source: …)` form reads the same way); the rest of
 * the text (without the `Context:` heading) is returned as `remainder`, trimmed.
 */
export function parseContextPassages(text: string): { passages: NumberedContextPassage[]; remainder: string } {
  const passages: NumberedContextPassage[] = [];
  const rest: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    const match = passageNumber.exec(trimmed);
    let body = match ? trimmed.slice(match[0].length) : '';
    const group = leadingGroup(body);
    const header = group === undefined ? undefined : readHeader(group);
    if (group !== undefined && header !== undefined) body = body.slice(group.length).trim();
    if (match && body !== '') {
      passages.push({ number: Number(match[1]), text: body, ...header });
    } else if (line.trim().toLowerCase() !== contextHeading.toLowerCase()) {
      rest.push(line);
    }
  }
  return { passages, remainder: rest.join('\n').trim() };
}
