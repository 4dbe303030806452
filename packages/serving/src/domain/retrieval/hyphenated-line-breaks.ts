/**
 * A word that a typesetter broke across two lines: a letter, then U+2010 HYPHEN at the end of the
 * line, then the rest of the word in lower case at the start of the next (indentation allowed).
 * `man` renders its own hyphenation breaks as U+2010 in a UTF-8 locale, while hyphens written in the
 * page's source (`world-writable`, `--max-depth`) stay ASCII, so this sign at a line end is the
 * typesetter's and joining the halves gives back the word.
 */
const hyphenatedLineBreak = /(\p{L})\u2010[ \t]*\r?\n[ \t]*(?=\p{Ll})/gu;

/**
 * The text with the words that a typesetter hyphenated at line ends joined again (`re‐⏎   solved`
 * becomes `resolved`), so that each such word is one term for search and one word in a quote. Line
 * ends without U+2010 are left alone; a capital after the break (a name) keeps the break.
 */
export function joinHyphenatedLineBreaks(text: string): string {
  return text.includes('\u2010') ? text.replace(hyphenatedLineBreak, '$1') : text;
}
