/** A piece of a context passage: prose, or one row of a Markdown table read as a sentence. */
export type PassagePiece = { kind: 'prose'; text: string } | { kind: 'row'; text: string; headers: string };

/** A Markdown table's separator cell: `---`, `:--`, `:-:`. */
const separatorCell = /^:?-{3,}:?$/;

/**
 * The cells of a table written on one line, as a whitespace-collapsed context passage holds it
 * (`| a | b | | --- | --- | | 1 | 2 |`): the text between pipes, trimmed. A row's closing pipe and the
 * next row's opening one leave an empty piece between them.
 */
function pipePieces(text: string): string[] {
  return text.split('|').map((piece) => piece.trim());
}

/** A table's row as a sentence: `` `limit` (Type: integer, Default: 20): How many to return. `` or `Event payload: 256 KB encoded.` */
export function rowSentence(cells: readonly string[], headers: readonly string[]): string {
  const [first = '', ...rest] = cells;
  const named = rest.map((cell, index) => ({ header: headers[index + 1] ?? '', cell }));
  const last = named[named.length - 1];
  const described = named.length >= 2 && last !== undefined && /^description$/i.test(last.header);
  const pairs = (described ? named.slice(0, -1) : named)
    .filter(({ cell }) => cell !== '')
    .map(({ header, cell }) => (header === '' ? cell : `${header}: ${cell}`));
  const end = (text: string) => (/[.!?…]$/.test(text) ? text : `${text}.`);
  // Two columns: a term and its value; the second header stays in the row's location.
  if (named.length === 1 && last !== undefined) return end(last.cell === '' ? first : `${first}: ${last.cell}`);
  if (described && last !== undefined) {
    const qualifiers = pairs.length > 0 ? ` (${pairs.join(', ')})` : '';
    return end(last.cell === '' ? `${first}${qualifiers}` : `${first}${qualifiers}: ${last.cell}`);
  }
  return end(pairs.length > 0 ? `${first}: ${pairs.join('; ')}` : first);
}

/**
 * Cuts a passage's text into prose and the rows of the Markdown tables it holds, each row read as a
 * sentence with its column headers ({@link rowSentence}), so that an answer quotes a row, never raw
 * pipes, and a row is scored with the headers that say what its values are. A table is recognised by
 * its separator row (`| --- | --- |`): the cells before it are the headers and fix the number of
 * columns; rows follow until a piece that is not an empty gap between rows. A passage cut from the
 * middle of a table (no separator in it) has its rows split at the gaps between them and read without headers.
 * Text without a pipe is one prose piece.
 */
export function splitTableRows(text: string): PassagePiece[] {
  if (!text.includes('|')) return [{ kind: 'prose', text }];
  const pieces = pipePieces(text);
  const separatorStart = pieces.findIndex((piece) => separatorCell.test(piece));
  if (separatorStart < 0) return headerlessRows(text, pieces);
  let columns = 0;
  while (separatorCell.test(pieces[separatorStart + columns] ?? '')) columns += 1;
  const headerStart = separatorStart - 1 - columns;
  // The pieces before the separator: the text before the table, the headers, the gap between rows.
  if (headerStart < 0 || pieces[separatorStart - 1] !== '' || columns < 2) return [{ kind: 'prose', text }];
  const headers = pieces.slice(headerStart, headerStart + columns);
  const output: PassagePiece[] = [];
  const before = pieces.slice(0, headerStart).join(' | ').trim();
  if (before !== '') output.push({ kind: 'prose', text: before });
  let index = separatorStart + columns;
  while (pieces[index] === '' && index + columns < pieces.length) {
    const cells = pieces.slice(index + 1, index + 1 + columns);
    if (cells.length < columns || cells.every((cell) => cell === '')) break;
    output.push({ kind: 'row', text: rowSentence(cells, headers), headers: headers.join(' ') });
    index += 1 + columns;
  }
  const after = pieces.slice(index).join(' | ').trim();
  if (after !== '') output.push(...splitTableRows(after.replace(/^\|\s*/, '')));
  return output;
}

/** A passage holding rows of a table whose header row is in another passage: rows split at `| |`. */
function headerlessRows(text: string, pieces: readonly string[]): PassagePiece[] {
  if (!/\|\s+\|/.test(text)) return [{ kind: 'prose', text }];
  const output: PassagePiece[] = [];
  let cells: string[] = [];
  const flush = () => {
    const filled = cells.filter((cell) => cell !== '');
    if (filled.length === 1) output.push({ kind: 'prose', text: filled[0] as string });
    else if (filled.length > 1) output.push({ kind: 'row', text: rowSentence(cells, []), headers: '' });
    cells = [];
  };
  pieces.forEach((piece, index) => {
    if (piece === '' && index > 0) flush();
    else if (piece !== '') cells.push(piece);
  });
  flush();
  return output;
}
