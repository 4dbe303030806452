import { LlmopsError } from '@llmops/kernel';

/** One record of a CSV file: its cells and the line it starts on (1-based). */
export interface CsvRecord {
  cells: string[];
  line: number;
}

/**
 * Reads RFC 4180 CSV: comma-separated cells, cells in double quotes may hold commas, line breaks
 * and doubled quotes (`""`). CRLF and LF line ends are both accepted; blank lines are skipped.
 * @throws LlmopsError `invalid_input` naming the line of an unterminated quoted cell or of a stray quote.
 */
export function parseCsv(text: string, source: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let cellStarted = false;
  const endRecord = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '' && !cellStarted)) records.push({ cells, line: recordLine });
    cells = [];
    cell = '';
    cellStarted = false;
  };
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] as string;
    if (quoted) {
      if (character === '"') {
        if (text[index + 1] === '"') {
          cell += '"';
          index += 1;
        } else {
          quoted = false;
        }
      } else {
        if (character === '\n') line += 1;
        cell += character;
      }
      continue;
    }
    if (character === '"') {
      if (cell !== '')
        throw new LlmopsError(
          'invalid_input',
          `${source}:${line}: a quote inside an unquoted cell; expected the whole cell in double quotes`,
        );
      quoted = true;
      quoteLine = line;
      cellStarted = true;
    } else if (character === ',') {
      cells.push(cell);
      cell = '';
      cellStarted = true;
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && text[index + 1] === '\n') index += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else {
      cell += character;
      cellStarted = true;
    }
  }
  if (quoted)
    throw new LlmopsError(
      'invalid_input',
      `${source}:${quoteLine}: a quoted cell is never closed; expected a closing double quote`,
    );
  if (cell !== '' || cells.length > 0 || cellStarted) endRecord();
  return records;
}
