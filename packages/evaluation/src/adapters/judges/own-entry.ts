import type { LocatedStatement } from './passage-location.js';

/** The separator of a section path's levels in a location line (`skerry-ship › OPTIONS › --retries=N`). */
const levelSeparator = ' › ';
/** The separator of the entry terms a packed passage lists in its last level (`--verbose, -v; --quiet, -q`). */
const entrySeparator = '; ';

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The longest listed entry term the text begins with (followed by a space or the end), if any. */
function leadingTerm(text: string, terms: readonly string[]): string | undefined {
  const clean = collapse(text);
  let best: string | undefined;
  for (const term of terms) {
    const candidate = collapse(term);
    if (candidate === '' || !clean.startsWith(candidate)) continue;
    const next = clean.charAt(candidate.length);
    if ((next === '' || next === ' ') && (best === undefined || candidate.length > best.length)) best = candidate;
  }
  return best;
}

/**
 * Narrows each statement's location to its own entry. A passage that packs several entries of one section
 * (`skerry-fetch › OPTIONS › --retries=N, -r N; --jobs=N, -j N; --verify`) lists every entry's term in the
 * last level of its location, so that level names all of them and none in particular. A statement whose text
 * begins with one of the listed terms belongs to that entry; a statement that follows it in the same passage
 * (the same location line, next in order) belongs to the same entry ("The default is 5." after `--retries`);
 * a statement before the first entry belongs to the section alone. Locations without a packed last level,
 * and statements without a location, are left as they are.
 */
export function narrowToOwnEntries(statements: readonly LocatedStatement[]): LocatedStatement[] {
  const narrowed: LocatedStatement[] = [];
  let previous: { location: string; entry: string | undefined } | undefined;
  for (const statement of statements) {
    const levels = statement.location.split(levelSeparator);
    const last = levels[levels.length - 1] ?? '';
    if (levels.length < 2 || !last.includes(entrySeparator)) {
      narrowed.push(statement);
      previous = undefined;
      continue;
    }
    const own =
      leadingTerm(statement.text, last.split(entrySeparator)) ??
      (previous?.location === statement.location ? previous.entry : undefined);
    previous = { location: statement.location, entry: own };
    const parent = levels.slice(0, -1);
    narrowed.push({ ...statement, location: [...parent, ...(own === undefined ? [] : [own])].join(levelSeparator) });
  }
  return narrowed;
}
