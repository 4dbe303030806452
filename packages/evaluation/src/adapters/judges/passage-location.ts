/**
 * A statement with the location of the passage it comes from. The RAG pipeline gives each retrieved
 * passage as `"<title> › <section path>\n<text>"`; the first line is metadata that gives the passage's
 * statements their subject, never a statement itself.
 */
export interface LocatedStatement {
  /** The `title › section path` line, empty when the passage had none. */
  location: string;
  text: string;
}

const sentenceEnd = /[.!?:;]["'’”)\]]*$/;

/**
 * True when the first line of a passage is its location line: it holds the ` › ` separator, or it is
 * a short line that does not end a sentence and more text follows (a title without a section).
 */
export function isLocationLine(line: string, rest: string): boolean {
  const trimmed = line.trim();
  if (trimmed === '' || rest.trim() === '' || /^\s*#/.test(line)) return false;
  if (trimmed.includes(' › ')) return true;
  return !sentenceEnd.test(trimmed) && trimmed.split(/\s+/).length <= 12 && !/^\s/.test(line);
}

/** Splits a passage into its location line (empty when it has none) and its text. */
export function splitLocation(passage: string): LocatedStatement {
  const newline = passage.indexOf('\n');
  if (newline < 0) return { location: '', text: passage };
  const first = passage.slice(0, newline);
  const rest = passage.slice(newline + 1);
  return isLocationLine(first, rest) ? { location: first.trim(), text: rest } : { location: '', text: passage };
}

/** A statement as the offline judge hands it back: the location line, then the sentence (or the sentence alone). */
export function joinLocation(statement: LocatedStatement): string {
  return statement.location === '' ? statement.text : `${statement.location}\n${statement.text}`;
}
