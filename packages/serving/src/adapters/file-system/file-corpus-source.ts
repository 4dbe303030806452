import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { confinedPath, LlmopsError, parseWithSchema } from '@llmops/kernel';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { CorpusDocument } from '../../domain/retrieval/passage.js';
import type { CorpusSnapshot, CorpusSource } from '../../ports.js';

const textExtensions = new Set(['.md', '.markdown', '.txt']);

/** One line of a JSONL corpus: a passage's text, optionally its id, source and title. */
const jsonlPassageSchema = z.looseObject({
  text: z.string().min(1, 'expected non-empty text'),
  id: z.union([z.string().min(1), z.number()]).optional(),
  source: z.string().min(1).optional(),
  title: z.string().optional(),
});

interface CorpusFile {
  absolute: string;
  /** Relative to the corpus location (or the file name for a single-file corpus), with `/` separators. */
  relative: string;
}

async function listFiles(location: string, where: string): Promise<CorpusFile[]> {
  let info;
  try {
    info = await stat(location);
  } catch (cause) {
    throw new LlmopsError(
      'invalid_input',
      `${where} does not exist; expected a folder of .md/.txt files or a .jsonl file of passages`,
      { cause },
    );
  }
  if (info.isFile()) {
    const extension = extname(location).toLowerCase();
    if (extension !== '.jsonl' && !textExtensions.has(extension)) {
      throw new LlmopsError(
        'invalid_input',
        `${where} is a ${extension || 'extension-less'} file; expected a folder, a .jsonl, .md, .markdown or .txt file`,
      );
    }
    return [{ absolute: location, relative: location.split(sep).pop() as string }];
  }
  const files: CorpusFile[] = [];
  const walk = async (directory: string) => {
    const entries = await readdir(directory, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const absolute = join(directory, entry.name);
      if (entry.isDirectory()) await walk(absolute);
      else if (
        entry.isFile() &&
        (textExtensions.has(extname(entry.name).toLowerCase()) || extname(entry.name).toLowerCase() === '.jsonl')
      ) {
        files.push({ absolute, relative: relative(location, absolute).split(sep).join('/') });
      }
    }
  };
  await walk(location);
  files.sort((left, right) => (left.relative < right.relative ? -1 : left.relative > right.relative ? 1 : 0));
  return files;
}

/** Splits YAML front matter (`---` … `---` at the top) from a Markdown text. */
function splitFrontMatter(text: string, where: string): { title: string | undefined; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) return { title: undefined, body: text };
  let data: unknown;
  try {
    data = parseYaml(match[1] as string);
  } catch (cause) {
    throw new LlmopsError('invalid_input', `${where}: the front matter is not valid YAML`, { cause });
  }
  const title =
    data !== null && typeof data === 'object' && typeof (data as Record<string, unknown>)['title'] === 'string'
      ? ((data as Record<string, unknown>)['title'] as string)
      : undefined;
  return { title, body: text.slice(match[0].length) };
}

function textDocument(file: CorpusFile, content: string): CorpusDocument {
  const { title, body } = splitFrontMatter(content, file.absolute);
  const heading = /^#[ \t]+(.+?)[ \t]*#*[ \t]*$/m.exec(body)?.[1];
  const documentTitle = title ?? heading;
  return { source: file.relative, text: body, ...(documentTitle === undefined ? {} : { title: documentTitle }) };
}

function jsonlDocuments(file: CorpusFile, content: string): CorpusDocument[] {
  const documents: CorpusDocument[] = [];
  content.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${file.absolute}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      throw new LlmopsError(
        'invalid_input',
        `${where}: not valid JSON; expected one object per line like {"text": "…", "source": "…"}`,
        { cause },
      );
    }
    const { text, id, source, title } = parseWithSchema(jsonlPassageSchema, value, { where });
    documents.push({
      source: source ?? `${file.relative}#${index + 1}`,
      text,
      ...(id === undefined ? {} : { id: String(id) }),
      ...(title === undefined ? {} : { title }),
    });
  });
  return documents;
}

/**
 * Reads corpora from the file system: a folder (searched recursively; hidden entries skipped) of
 * Markdown (`.md`, `.markdown`, with optional YAML front matter whose `title` is used) and text
 * files, and `.jsonl` files of passages (`{"text", "id"?, "source"?, "title"?}` per line); or one
 * such file. Relative locations resolve against `root`; every location must be inside `root` or a data root.
 */
export class FileCorpusSource implements CorpusSource {
  private readonly root: string;
  private readonly dataRoots: readonly string[];

  /**
   * @param options.root where relative corpus locations start, and the folder corpora must be in; the working
   * directory by default.
   * @param options.dataRoots further folders corpora may be in (the deployment's `LLMOPS_DATA_ROOTS`).
   */
  constructor(options: { root?: string; dataRoots?: readonly string[] } = {}) {
    this.root = options.root ?? process.cwd();
    this.dataRoots = options.dataRoots ?? [];
  }

  /**
   * The corpus location, confined by its real path (symbolic links followed) to the root or a data root. Inside a
   * corpus folder, symbolic links are not followed at all.
   * @throws LlmopsError `forbidden` naming the location.
   */
  private locate(location: string): string {
    return confinedPath({ root: this.root, file: location, what: 'corpus', confine: true, dataRoots: this.dataRoots });
  }

  /**
   * @throws LlmopsError `forbidden` for a location outside the root and data roots; `invalid_input` for a missing
   * location, a bad JSONL line (file and line named, never its text) or an empty corpus.
   */
  async read(location: string): Promise<CorpusSnapshot> {
    const absolute = this.locate(location);
    const where = `corpus ${location} (${absolute})`;
    const files = await listFiles(absolute, where);
    const hash = createHash('sha256');
    const documents: CorpusDocument[] = [];
    for (const file of files) {
      const bytes = await readFile(file.absolute);
      hash.update(file.relative).update('\0').update(bytes).update('\0');
      const content = bytes.toString('utf8');
      if (extname(file.absolute).toLowerCase() === '.jsonl') documents.push(...jsonlDocuments(file, content));
      else if (content.trim() !== '') documents.push(textDocument(file, content));
    }
    if (documents.length === 0) {
      throw new LlmopsError(
        'invalid_input',
        `${where} holds no document; expected .md, .markdown, .txt files or a .jsonl file of passages`,
      );
    }
    return { location, contentHash: hash.digest('hex'), documents };
  }

  async fingerprint(location: string): Promise<string> {
    const absolute = this.locate(location);
    try {
      const files = await listFiles(absolute, `corpus ${location}`);
      const hash = createHash('sha256');
      for (const file of files) {
        const info = await stat(file.absolute);
        hash.update(`${file.relative}\0${info.size}\0${info.mtimeMs}\0`);
      }
      return hash.digest('hex');
    } catch {
      // A corpus that vanished is "changed"; the read that follows reports why.
      return 'unreadable';
    }
  }
}
