/** A document of a corpus: one file, or one line of a JSONL file of passages. */
export interface CorpusDocument {
  /** Where it came from, relative to the corpus (`refunds.md`, `passages.jsonl#12`); what citations show. */
  source: string;
  text: string;
  /** The document's title (front matter `title`, or its first Markdown heading). */
  title?: string;
  /** A stable id given by the corpus (JSONL `id`); passage ids derive from it when present. */
  id?: string;
}

/** A chunk of a document, the unit of retrieval and citation. */
export interface Passage {
  /** Stable across rebuilds of the same content: `<document id or source>#<chunk number from 1>`. */
  id: string;
  source: string;
  text: string;
  /** The title of the document it comes from (Markdown `# ` heading, a man page's name, or the file name). */
  title?: string;
  /** Where in the document: the headings above it, and an entry's term, joined by ` › ` (`OPTIONS › --retries=N, -r N`). */
  section?: string;
  /** What the chunk is: running text (paragraphs), or one definition entry (an option, setting or status with its description). */
  kind?: 'text' | 'entry';
  /** Tokens of `text` (o200k_base unless the corpus was indexed for another encoding). */
  tokens: number;
}

/** A passage with its retrieval score (BM25, or a fused score for hybrid retrieval). */
export interface ScoredPassage extends Passage {
  score: number;
}

/** A passage cited by an answer, as returned in `llmops.citations`. */
export interface Citation {
  /** The number the answer cites it by (`[2]` → 2). */
  index: number;
  passage_id: string;
  source: string;
  /** The title of the passage's document, when it has one. */
  title?: string;
  /** The passage's section path in its document, when it has one. */
  section?: string;
  score: number;
}
