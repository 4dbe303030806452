import { documentTitle } from './document-title.js';
import type { CorpusDocument, Passage } from './passage.js';
import type { ChunkingTools } from './text-chunker.js';

/** Settings of {@link chunkByStructure}. */
export interface StructureChunkingSettings {
  /** Most tokens of running text packed into one passage; an entry is kept whole up to twice this. */
  maxTokens: number;
  /** Tokens of the previous piece repeated when one paragraph has to be cut between sentences. */
  overlapTokens: number;
}

/** The separator of a section path (`OPTIONS › --retries=N, -r N`), also used between title and section. */
export const sectionSeparator = ' › ';

/** The separator of the terms of several entries packed into one passage (`--jobs=N; --timeout=SECONDS`). */
export const entryTermSeparator = '; ';

interface Line {
  text: string;
  indent: number;
}

interface Unit {
  kind: 'text' | 'entry';
  text: string;
  section: string[];
  term?: string;
}

const markdownHeading = /^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$/;
const underline = /^(=+|-+)\s*$/;
const listItem = /^(?:[-*+]|\d{1,3}[.)])\s+\S/;
/** An option as a term: `-n, --quiet`, `--preserve-status` (a dash, then no space or dash). */
const optionTerm = /^--?[^\s-]/;
const maxTermLength = 48;
const fence = /^(```|~~~)/;
/** A term and its description on one line, at least two spaces apart: `--all  Send …`, `7      Some shards …`. */
const sameLineEntry = /^(\S+(?: \S+){0,3}?)( {2,})(\S.*)$/;

function isCapsHeading(line: Line): boolean {
  const text = line.text;
  return (
    line.indent === 0 &&
    text.length <= 60 &&
    /\p{Lu}{2}/u.test(text) &&
    !/\p{Ll}/u.test(text) &&
    !/[.:;,]$/.test(text) &&
    !/\s{3,}/.test(text)
  );
}

/** A man page's running header or footer: three columns far apart, the page name at an end. */
function isRunningHeader(text: string): boolean {
  const columns = text.split(/\s{3,}/);
  return columns.length === 3 && /\(\w+\)$/.test(columns[2] as string);
}

function linesOf(text: string): Line[] {
  return text.split(/\r?\n/).map((raw) => {
    const expanded = raw.replace(/\t/g, '        ').replace(/\s+$/, '');
    const text = expanded.trimStart();
    return { text, indent: expanded.length - text.length };
  });
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Reads a document into units, each with its section path: headings (Markdown `#`, underlined
 * lines, all-capital lines) open sections; a definition entry (a term line followed directly by a
 * deeper-indented description, or a short term and its description on one line; an option term may be
 * parted from its description by blank lines, as help2man renders them) is one unit however
 * many lines or paragraphs its description has; a paragraph (wrapped lines at one indentation) is
 * one unit; an indented block after a paragraph ending with `:` (an example command) joins that paragraph.
 */
function unitsOf(document: CorpusDocument, title: string): Unit[] {
  const lines = linesOf(document.text);
  const units: Unit[] = [];
  const headings: Array<{ level: number; text: string }> = [];
  let titleSeen = false;
  const path = () => headings.map((heading) => heading.text);
  const openSection = (level: number, text: string) => {
    if (!titleSeen && level === 1 && text === title) {
      titleSeen = true;
      return;
    }
    while (headings.length > 0 && (headings[headings.length - 1] as { level: number }).level >= level) headings.pop();
    headings.push({ level, text });
  };
  const blank = (index: number) => (lines[index]?.text ?? '') === '';
  const nextNonBlank = (index: number) => {
    let ahead = index + 1;
    while (ahead < lines.length && blank(ahead)) ahead += 1;
    return lines[ahead];
  };
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] as Line;
    if (line.text === '' || isRunningHeader(line.text)) {
      index += 1;
      continue;
    }
    const markdown = line.indent === 0 ? markdownHeading.exec(line.text) : null;
    if (markdown) {
      openSection((markdown[1] as string).length, (markdown[2] as string).trim());
      index += 1;
      continue;
    }
    const next = lines[index + 1];
    if (line.indent === 0 && next && underline.test(next.text) && next.text.length >= 3 && !listItem.test(line.text)) {
      openSection(next.text.startsWith('=') ? 1 : 2, line.text);
      index += 2;
      continue;
    }
    if (isCapsHeading(line)) {
      openSection(2, line.text);
      index += 1;
      continue;
    }
    if (fence.test(line.text)) {
      const body = [line.text];
      index += 1;
      while (index < lines.length && !fence.test((lines[index] as Line).text)) body.push((lines[index++] as Line).text);
      index += 1;
      const previous = units[units.length - 1];
      if (previous && previous.kind === 'text' && previous.text.endsWith(':'))
        previous.text += ` ${collapse(body.slice(1).join(' '))}`;
      else units.push({ kind: 'text', text: collapse(body.slice(1).join(' ')), section: path() });
      continue;
    }
    const sameLine = sameLineEntry.exec(line.text);
    const descriptionColumn = sameLine
      ? line.indent + (sameLine[1] as string).length + (sameLine[2] as string).length
      : undefined;
    // help2man pages (coreutils, sed) put a blank line between an option and its description.
    const afterBlank = next !== undefined && next.text === '' ? nextNonBlank(index) : undefined;
    const ownLineTerm =
      (next !== undefined && next.text !== '' && next.indent > line.indent && !listItem.test(next.text)) ||
      (afterBlank !== undefined &&
        afterBlank.indent > line.indent &&
        optionTerm.test(line.text) &&
        line.text.length <= maxTermLength);
    const sameLineTerm =
      sameLine !== null &&
      !(sameLine[1] as string).endsWith('.') &&
      ((next !== undefined && next.text !== '' && next.indent === descriptionColumn) ||
        (sameLine[2] as string).length >= 3);
    if (ownLineTerm || sameLineTerm || listItem.test(line.text)) {
      // A long first line over deeper ones is a hanging indent (a synopsis), not a term.
      const ownTerm = ownLineTerm && line.text.length <= maxTermLength ? line.text : undefined;
      const term = sameLineTerm ? (sameLine?.[1] as string) : ownTerm;
      const parts = [line.text];
      const depth = line.indent;
      index += 1;
      // The description: deeper lines, across blank lines while the next line stays deeper.
      while (index < lines.length) {
        const current = lines[index] as Line;
        if (current.text === '') {
          let ahead = index;
          while (ahead < lines.length && blank(ahead)) ahead += 1;
          const resumed = lines[ahead];
          if (!resumed || resumed.indent <= depth || ownLineTerm === false) break;
          index = ahead;
          continue;
        }
        if (current.indent <= depth) break;
        parts.push(current.text);
        index += 1;
      }
      const text = collapse(parts.join(' '));
      if (term === undefined) units.push({ kind: 'text', text, section: path() });
      else units.push({ kind: 'entry', text, section: path(), term: collapse(term) });
      continue;
    }
    const parts = [line.text];
    index += 1;
    while (index < lines.length) {
      const current = lines[index] as Line;
      if (current.text === '' || current.indent !== line.indent || isRunningHeader(current.text)) break;
      const after = lines[index + 1];
      if (after && after.text !== '' && after.indent > current.indent) break;
      parts.push(current.text);
      index += 1;
    }
    const text = collapse(parts.join(' '));
    const previous = units[units.length - 1];
    const continuesExample =
      previous !== undefined &&
      previous.kind === 'text' &&
      previous.text.endsWith(':') &&
      previous.section.join('\0') === path().join('\0') &&
      line.indent > 0;
    if (continuesExample) previous.text += ` ${text}`;
    else units.push({ kind: 'text', text, section: path() });
  }
  return units;
}

/** Cuts a text into pieces of whole sentences within `maxTokens` (a longer sentence stays whole), with overlap. */
function splitText(text: string, settings: StructureChunkingSettings, tools: ChunkingTools): string[] {
  const sentences = tools.splitSentences(text);
  const pieces: string[] = [];
  let current: string[] = [];
  let tokens = 0;
  for (const sentence of sentences) {
    const size = tools.countTokens(sentence) + 1;
    if (current.length > 0 && tokens + size > settings.maxTokens) {
      pieces.push(current.join(' '));
      const carried: string[] = [];
      let carriedTokens = 0;
      for (let position = current.length - 1; position >= 0; position -= 1) {
        const candidate = current[position] as string;
        const candidateTokens = tools.countTokens(candidate) + 1;
        if (carriedTokens + candidateTokens > settings.overlapTokens) break;
        carried.unshift(candidate);
        carriedTokens += candidateTokens;
      }
      current = carried;
      tokens = carriedTokens;
    }
    current.push(sentence);
    tokens += size;
  }
  if (current.length > 0) pieces.push(current.join(' '));
  return pieces;
}

/**
 * Cuts a document (Markdown, plain text or man-page style reference text) into passages along its
 * structure. Every passage carries the document's title (see {@link documentTitle}) and its
 * section path (headings, then the terms of the entries it holds). Units are paragraphs and
 * definition entries (an option, setting, variable or exit status with its description); a unit is
 * never split unless it is longer than twice `maxTokens`, and then only between sentences.
 * Consecutive units of one section and one kind are packed into one passage up to `maxTokens`, so a
 * one-line entry sits with its neighbours instead of being a passage too small to hold a reference
 * that spans it and the next one. Entries of one passage are separated by line breaks, so that
 * compression can keep or drop each whole. Passage ids are `<id or source>#<n>` from 1, so the same
 * content always gives the same ids.
 */
export function chunkByStructure(
  document: CorpusDocument,
  settings: StructureChunkingSettings,
  tools: ChunkingTools,
): Passage[] {
  const title = documentTitle(document);
  const base = document.id ?? document.source;
  const passages: Passage[] = [];
  const emit = (kind: 'text' | 'entry', parts: readonly string[], section: readonly string[]) => {
    const text = parts.join('\n');
    passages.push({
      id: `${base}#${passages.length + 1}`,
      source: document.source,
      text,
      title,
      ...(section.length > 0 ? { section: section.join(sectionSeparator) } : {}),
      kind,
      tokens: tools.countTokens(text),
    });
  };
  let packed: Unit[] = [];
  let packedTokens = 0;
  const flush = () => {
    const first = packed[0];
    if (first) {
      const terms = packed.flatMap((unit) => (unit.term === undefined ? [] : [unit.term]));
      const section = terms.length > 0 ? [...first.section, terms.join(entryTermSeparator)] : first.section;
      emit(
        first.kind,
        packed.map((unit) => unit.text),
        section,
      );
    }
    packed = [];
    packedTokens = 0;
  };
  for (const unit of unitsOf(document, title)) {
    const tokens = tools.countTokens(unit.text);
    const first = packed[0];
    if (
      first &&
      (unit.kind !== first.kind ||
        unit.section.join('\0') !== first.section.join('\0') ||
        packedTokens + tokens > settings.maxTokens)
    )
      flush();
    if (tokens > settings.maxTokens * 2) {
      const section = unit.term === undefined ? unit.section : [...unit.section, unit.term];
      for (const piece of splitText(unit.text, settings, tools)) emit(unit.kind, [piece], section);
      continue;
    }
    packed.push(unit);
    packedTokens += tokens;
  }
  flush();
  return passages;
}
