/**
 * A piece of a context passage the offline extractive model may quote: a sentence, or a whole
 * definition entry (an option, subcommand, setting, variable or exit status with its description).
 */
export interface AnswerUnit {
  /** The text quoted in an answer: whole sentences, or a whole entry with its term. */
  text: string;
  /** `sentence`, or `entry` for a definition entry quoted whole. */
  kind: 'sentence' | 'entry';
  /** Where it sits: the section heading above it and, inside an entry, the entry's term; scored as location, never quoted alone. */
  location: string;
  /** False for units of a NAME, SYNOPSIS or SEE ALSO section: they match questions but answer none. */
  quotable: boolean;
  /** Position among the passage's units, for continuation. */
  order: number;
  /** The entry a sentence belongs to (its number in the passage), when it belongs to one. */
  entry?: number;
}

/** Entries longer than this many words are offered sentence by sentence instead of whole. */
const maxEntryWords = 80;

/** Section names of the classic manual page layout, headings even when followed by a lower-case word. */
const manualSections = new Set([
  'NAME',
  'SYNOPSIS',
  'DESCRIPTION',
  'OPTIONS',
  'COMMANDS',
  'SUBCOMMANDS',
  'EXAMPLES',
  'ENVIRONMENT',
  'FILES',
  'NOTES',
  'BUGS',
  'AUTHORS',
  'AUTHOR',
  'HISTORY',
  'CAVEATS',
  'DIAGNOSTICS',
  'EXIT STATUS',
  'SEE ALSO',
]);

/** Sections whose content names things rather than stating facts about them. */
const unquotableSections = new Set(['NAME', 'SYNOPSIS', 'SEE ALSO']);

/**
 * Whether units under this section path (`SYNOPSIS`, `OPTIONS › --jobs=N`: headings first, as a
 * passage's section path gives them) name things rather than state facts, so are never quoted.
 */
export function unquotableSection(sectionPath: string): boolean {
  const first = sectionPath.split('›')[0]?.trim().toUpperCase() ?? '';
  return unquotableSections.has(first);
}

/** An optional argument of a command line (`[-l limit]`, `[--until=DATE]`). */
const optionalArgument = /\[-{1,2}[^\]]*\]/g;

/** A usage line: a command with three or more optional arguments in brackets, as a SYNOPSIS shows it; it names options, answers nothing. */
export function looksLikeSynopsis(text: string): boolean {
  return (text.match(optionalArgument) ?? []).length >= 3;
}

const sentenceEnd = /[.!?…]["'’”)\]]*$/;
const abbreviation = /^(?:mr|mrs|ms|dr|prof|sr|jr|st|vs|etc|e\.g|i\.e|no|fig|approx|inc|ltd|a\.m|p\.m)\.$/i;
const initials = /^(?:[a-z]\.){2,}$/i;
/** A manual page's title with its section number: `SKERRY-SHIP(1)`, `LS(1)`. */
const pageTitle = /^[A-Z][A-Z0-9._-]*\(\d[a-z]?\)[.,;:]?$/;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const capitalWord = /^[A-Z]+$/;
/** A word that starts a description: capitalised, then lower-case (`Try`, `The`), or a quote or bracket before one. */
const capitalisedWord = /^["'“‘(]?[A-Z][a-z]/;
const optionTerm = /^-{1,2}[A-Za-z0-9]/;
const statusTerm = /^\d{1,3}$/;
const anyCapital = /^["'“‘(]?[A-Z0-9]/;

/** How many tokens from `start` form a manual page's header or footer line (0 when none). */
function titleLength(tokens: readonly string[], start: number): number {
  const first = tokens[start] ?? '';
  if (pageTitle.test(first)) {
    // Header: `NAME(1) <manual name> NAME(1)`.
    for (let index = start + 1; index < Math.min(tokens.length, start + 7); index += 1)
      if (tokens[index] === first) return index - start + 1;
    return 1;
  }
  // Footer: `<program> <version> <date> NAME(1)`.
  return isoDate.test(tokens[start + 2] ?? '') && pageTitle.test(tokens[start + 3] ?? '') ? 4 : 0;
}

/** How many tokens from `start` form a section heading in capitals (0 when none). */
function headingLength(tokens: readonly string[], start: number): number {
  let end = start;
  while (end < tokens.length && capitalWord.test(tokens[end] as string)) end += 1;
  const words = tokens.slice(start, end);
  if (words.length === 0) return 0;
  // A run ending the passage, or a single short word (an acronym starting a sentence), is no heading.
  if (end >= tokens.length) return 0;
  const run = words.join(' ');
  if (manualSections.has(run) || unquotableSections.has(run)) return words.length;
  const letters = words.reduce((sum, word) => sum + word.length, 0);
  if (letters < 4) return 0;
  const next = tokens[end] as string;
  if (words.length >= 2) return words.length;
  return anyCapital.test(next) || optionTerm.test(next) ? words.length : 0;
}

/**
 * How many tokens from `start` form a standard manual section heading met inside a run of text
 * (a SYNOPSIS or an example has no full stop before the next heading); NAME is left out, being also
 * a common placeholder (`--depot=NAME`).
 */
function knownSectionLength(tokens: readonly string[], start: number): number {
  const first = tokens[start] ?? '';
  if (start + 1 < tokens.length && manualSections.has(`${first} ${tokens[start + 1]}`)) return 2;
  return first !== 'NAME' && manualSections.has(first) && start + 1 < tokens.length ? 1 : 0;
}

/**
 * How many tokens from `start` form the term of a definition entry (0 when the text there is
 * prose); `inStatusList` when the entry before is a number, as in an exit status table.
 */
function termLength(tokens: readonly string[], start: number, inStatusList: boolean): number {
  const first = tokens[start] ?? '';
  const next = tokens[start + 1] ?? '';
  // A number starts an entry of a status table before a capital, or anywhere in a table already begun.
  if (statusTerm.test(first)) return (anyCapital.test(next) || inStatusList) && !/^\d/.test(next) ? 1 : 0;
  if (capitalisedWord.test(first)) return 0;
  for (let index = start + 1; index < Math.min(tokens.length, start + 6); index += 1) {
    if (capitalisedWord.test(tokens[index] as string)) {
      // A lower-case word starting a sentence is prose unless it is a single word (a subcommand, a setting).
      const lowerCaseWords = tokens.slice(start, index).filter((token) => /^[a-z]+[,:]?$/.test(token)).length;
      return lowerCaseWords <= 1 || optionTerm.test(first) || first.startsWith('[') ? index - start : 0;
    }
  }
  return 0;
}

function endsSentence(token: string): boolean {
  return sentenceEnd.test(token) && !abbreviation.test(token) && !initials.test(token);
}

interface Segment {
  tokens: string[];
  section: string;
  entry: number | undefined;
  entryTerm: string;
}

/**
 * Cuts a context passage into the units an extractive answer may quote. The passage is read as
 * plain text whose whitespace may have been collapsed (as in the numbered context convention), so
 * structure is recognised from its words: manual page header and footer lines (`NAME(1) … NAME(1)`)
 * are dropped; headings in capitals (`OPTIONS`, `EXIT STATUS`) become the location of the units
 * below them; definition entries (`--retries=N, -r N Try each …`, `7 Some shards …`, `list Print …`)
 * are recognised at sentence starts by a short term before a capitalised description; sentences
 * end at `.`, `!`, `?` or `…` (common abbreviations aside). Short entries are offered whole, longer
 * ones sentence by sentence; units of NAME, SYNOPSIS and SEE ALSO sections are not quotable.
 */
export function splitAnswerUnits(text: string): AnswerUnit[] {
  const tokens = text.split(/\s+/).filter((token) => token !== '');
  const segments: Segment[] = [];
  let section = '';
  let entry: number | undefined;
  let entryTerm = '';
  let entries = 0;
  let current: string[] = [];
  const flush = () => {
    if (current.length > 0) segments.push({ tokens: current, section, entry, entryTerm });
    current = [];
  };
  let index = 0;
  let atStart = true;
  while (index < tokens.length) {
    const title = titleLength(tokens, index);
    if (title > 0 && (atStart || title > 1)) {
      flush();
      index += title;
      atStart = true;
      continue;
    }
    // Any heading starts after a sentence; a standard manual section also inside a run of text.
    const heading = atStart ? headingLength(tokens, index) : knownSectionLength(tokens, index);
    if (heading > 0) {
      flush();
      section = tokens.slice(index, index + heading).join(' ');
      entry = undefined;
      entryTerm = '';
      index += heading;
      atStart = true;
      continue;
    }
    if (atStart) {
      const term =
        section === 'SYNOPSIS' || section === 'NAME' ? 0 : termLength(tokens, index, statusTerm.test(entryTerm));
      if (term > 0) {
        flush();
        entries += 1;
        entry = entries;
        entryTerm = tokens.slice(index, index + term).join(' ');
      }
    }
    const token = tokens[index] as string;
    current.push(token);
    index += 1;
    atStart = endsSentence(token);
    if (atStart) flush();
  }
  flush();
  return unitsOf(segments);
}

function unitsOf(segments: readonly Segment[]): AnswerUnit[] {
  const units: AnswerUnit[] = [];
  const push = (unit: Omit<AnswerUnit, 'order'>) => units.push({ ...unit, order: units.length });
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index] as Segment;
    const quotable = !unquotableSections.has(segment.section) && !looksLikeSynopsis(segment.tokens.join(' '));
    if (segment.entry === undefined) {
      push({ text: segment.tokens.join(' '), kind: 'sentence', location: segment.section, quotable });
      continue;
    }
    let end = index;
    while (end + 1 < segments.length && segments[end + 1]?.entry === segment.entry) end += 1;
    const members = segments.slice(index, end + 1);
    const words = members.reduce((sum, member) => sum + member.tokens.length, 0);
    if (words <= maxEntryWords) {
      const text = members.map((member) => member.tokens.join(' ')).join(' ');
      push({ text, kind: 'entry', location: segment.section, quotable, entry: segment.entry });
    } else {
      for (const member of members) {
        push({
          text: member.tokens.join(' '),
          kind: 'sentence',
          location: `${segment.section} ${segment.entryTerm}`.trim(),
          quotable,
          entry: segment.entry,
        });
      }
    }
    index = end;
  }
  return units.filter((unit) => /[\p{L}\p{N}]/u.test(unit.text));
}
