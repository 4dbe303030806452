/**
 * The names reference documentation gives to a program's exit status: `exit status`, `exit code`,
 * `return code`, `return value`, `exit value` (and their plurals or hyphenated forms), the headings
 * man pages use for the section (EXIT STATUS, EXIT CODES, RETURN VALUE) and the words questions use.
 */
const exitStatusPhrase = /\b(?:exit|return)(?:\s+|-)(?:code|status|value)s?\b/gi;

/**
 * The text with every name of an exit status written `exit status`, for lexical matching only (the
 * passage keeps its own words): a question about grep's "exit code" then meets grep's EXIT STATUS
 * section, whose words it otherwise shares only in part, while curl's EXIT CODES section and tar's
 * "exit code" sentences no longer match better than the page the question names.
 */
export function canonicalExitStatusPhrases(text: string): string {
  return text.replace(exitStatusPhrase, 'exit status');
}
