import type { CorpusDocument } from './passage.js';

/** `SKERRY-SHIP(1)   Skerry Manual   SKERRY-SHIP(1)`: a man page's running header, its name at both ends. */
const manHeader = /^(\S+\(\w+\))\s{2,}.*?\s{2,}\1$/;
const markdownTitle = /^#[ \t]+(.+?)[ \t]*#*[ \t]*$/m;

/**
 * The title a document's passages carry: the corpus's title for it (front matter or JSONL
 * `title`), else its first `# ` Markdown heading, else a man page's name with its section number
 * (`skerry-ship(1)`, from the NAME line and the running header), else the file name without its
 * extension.
 */
export function documentTitle(document: CorpusDocument): string {
  if (document.title?.trim()) return document.title.trim();
  const markdown = markdownTitle.exec(document.text)?.[1];
  if (markdown) return markdown;
  const lines = document.text.split(/\r?\n/);
  const nameAt = lines.findIndex((line) => line.trim() === 'NAME');
  const nameLine = nameAt >= 0 ? lines.slice(nameAt + 1).find((line) => line.trim() !== '') : undefined;
  // `grep, egrep, fgrep - print lines …`: a page for several commands names the first.
  const name = nameLine ? /^\s*([^\s,]+)(?:,\s*[^\s,]+)*\s+(?:-|—|–|\\-)\s/.exec(nameLine)?.[1] : undefined;
  if (name) {
    const firstLine = lines.find((line) => line.trim() !== '')?.trim() ?? '';
    const section = manHeader.exec(firstLine)?.[1]?.match(/\((\w+)\)$/)?.[1];
    return section ? `${name}(${section})` : name;
  }
  const file = document.source.split(/[\\/]/).pop() ?? document.source;
  return file.replace(/#.*$/, '').replace(/\.[^.]+$/, '') || document.source;
}
