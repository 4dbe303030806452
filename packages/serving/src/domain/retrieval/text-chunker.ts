import { LlmopsError } from '@llmops/kernel';
import { documentTitle } from './document-title.js';
import type { CorpusDocument, Passage } from './passage.js';

/** How documents are cut into passages. */
export interface ChunkingSettings {
  /** Largest passage, in tokens. */
  chunkTokens: number;
  /** Tokens of the end of a passage repeated at the start of the next one, so an answer cut in two is found whole. */
  overlapTokens: number;
}

/** The text tools chunking needs (the tokenizer and sentence splitter of `@llmops/providers`). */
export interface ChunkingTools {
  countTokens: (text: string) => number;
  splitSentences: (text: string) => string[];
}

interface Unit {
  text: string;
  tokens: number;
  heading: string | undefined;
}

const headingLine = /^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/;

/** Splits a paragraph into sentences, and sentences too long for one passage into word runs. */
function splitLongText(text: string, settings: ChunkingSettings, tools: ChunkingTools): string[] {
  const pieces: string[] = [];
  for (const sentence of tools.splitSentences(text)) {
    if (tools.countTokens(sentence) <= settings.chunkTokens) {
      pieces.push(sentence);
      continue;
    }
    let current: string[] = [];
    for (const word of sentence.split(/\s+/)) {
      const candidate = [...current, word].join(' ');
      if (current.length > 0 && tools.countTokens(candidate) > settings.chunkTokens) {
        pieces.push(current.join(' '));
        current = [word];
      } else {
        current.push(word);
      }
    }
    if (current.length > 0) pieces.push(current.join(' '));
  }
  return pieces;
}

/** Paragraphs (blank-line separated) with the heading they sit under; heading lines themselves are not text. */
function paragraphsOf(document: CorpusDocument): Array<{ text: string; heading: string | undefined }> {
  const paragraphs: Array<{ text: string; heading: string | undefined }> = [];
  let heading = document.title;
  let lines: string[] = [];
  const flush = () => {
    const text = lines.join(' ').replace(/\s+/g, ' ').trim();
    if (text !== '') paragraphs.push({ text, heading });
    lines = [];
  };
  for (const line of document.text.split(/\r?\n/)) {
    const match = headingLine.exec(line.trim());
    if (match) {
      flush();
      heading = (match[1] as string).trim();
    } else if (line.trim() === '') {
      flush();
    } else {
      lines.push(line.trim());
    }
  }
  flush();
  return paragraphs;
}

function validate(settings: ChunkingSettings): void {
  if (!Number.isInteger(settings.chunkTokens) || settings.chunkTokens < 16) {
    throw new LlmopsError(
      'invalid_input',
      `chunking: chunkTokens is ${settings.chunkTokens}; expected an integer >= 16`,
    );
  }
  if (
    !Number.isInteger(settings.overlapTokens) ||
    settings.overlapTokens < 0 ||
    settings.overlapTokens >= settings.chunkTokens
  ) {
    throw new LlmopsError(
      'invalid_input',
      `chunking: overlapTokens is ${settings.overlapTokens}; expected an integer from 0 to less than chunkTokens (${settings.chunkTokens})`,
    );
  }
}

/**
 * Cuts a document into passages of at most `chunkTokens` tokens, packing whole sentences (a
 * sentence longer than a passage is cut between words) so that passages break at natural
 * boundaries, and starting each passage with up to `overlapTokens` tokens of the previous one's
 * last sentences. A Markdown heading starts a new passage (passages never mix sections), and
 * heading lines become the `section` of the passages under them; every passage carries the document's
 * title (see `documentTitle`). Passage ids are
 * `<id or source>#<n>`, numbered from 1, so the same content always gives the same ids.
 * @throws LlmopsError `invalid_input` for settings out of range.
 */
export function chunkDocument(document: CorpusDocument, settings: ChunkingSettings, tools: ChunkingTools): Passage[] {
  validate(settings);
  const units: Unit[] = [];
  for (const paragraph of paragraphsOf(document)) {
    for (const piece of splitLongText(paragraph.text, settings, tools)) {
      units.push({ text: piece, tokens: tools.countTokens(piece), heading: paragraph.heading });
    }
  }
  const passages: Passage[] = [];
  const base = document.id ?? document.source;
  const title = documentTitle(document);
  let current: Unit[] = [];
  let currentTokens = 0;
  let freshUnits = 0;
  const emit = () => {
    if (freshUnits === 0) return;
    const text = current.map((unit) => unit.text).join(' ');
    const heading = current.find((unit) => unit.heading !== undefined)?.heading;
    passages.push({
      id: `${base}#${passages.length + 1}`,
      source: document.source,
      text,
      title,
      ...(heading === undefined || heading === title ? {} : { section: heading }),
      kind: 'text',
      tokens: tools.countTokens(text),
    });
  };
  for (const unit of units) {
    // A new section starts a new passage, without overlap: passages never mix sections.
    if (current.length > 0 && unit.heading !== (current[current.length - 1] as Unit).heading) {
      emit();
      current = [];
      currentTokens = 0;
      freshUnits = 0;
    }
    // One more token for the space that joins units.
    if (current.length > 0 && currentTokens + 1 + unit.tokens > settings.chunkTokens) {
      emit();
      const carried: Unit[] = [];
      let carriedTokens = 0;
      for (let index = current.length - 1; index >= 0; index -= 1) {
        const candidate = current[index] as Unit;
        if (carriedTokens + candidate.tokens + 1 + unit.tokens > settings.chunkTokens) break;
        if (carriedTokens + candidate.tokens > settings.overlapTokens) break;
        carried.unshift(candidate);
        carriedTokens += candidate.tokens + 1;
      }
      current = carried;
      currentTokens = carriedTokens;
      freshUnits = 0;
    }
    current.push(unit);
    currentTokens += unit.tokens + (current.length > 1 ? 1 : 0);
    freshUnits += 1;
  }
  emit();
  return passages;
}
