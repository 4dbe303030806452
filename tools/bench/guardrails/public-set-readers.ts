/**
 * Readers of the public red-team and benign sets as their repositories publish them (laid out by
 * `lay-out-redteam-sets.sh`): measuring only, never for choosing rules, words, thresholds or training data.
 */
import { readFileSync } from 'node:fs';

/** A minimal CSV reader (quoted fields, doubled quotes, line breaks inside quotes). */
export function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const source = text.replace(/^\uFEFF/, '');
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index] as string;
    if (quoted) {
      if (char === '"' && source[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[index + 1] === '\n') index += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows.filter((cells) => cells.some((cell) => cell.trim() !== ''));
}

/** The non-empty cells of one named column of a CSV file. */
export function csvColumn(file: string, name: string): string[] {
  const [header, ...rows] = csvRows(readFileSync(file, 'utf8'));
  const at = (header ?? []).indexOf(name);
  return at < 0 ? [] : rows.map((row) => (row[at] ?? '').trim()).filter((text) => text !== '');
}

/** XSafety files: one text per line, sometimes quoted. */
export function textLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/^"|"$/g, '').trim())
    .filter((line) => line.length > 3);
}

/** The XSTest prompts with one label (`safe`: benign; `unsafe`: harmful) of its published CSV. */
export function xstestPrompts(file: string, label: 'safe' | 'unsafe'): string[] {
  const [header, ...rows] = csvRows(readFileSync(file, 'utf8'));
  const prompt = (header ?? []).indexOf('prompt');
  const labelAt = (header ?? []).indexOf('label');
  return rows.filter((row) => row[labelAt] === label).map((row) => row[prompt] ?? '');
}

/** Where GPTFuzz's jailbreak templates take the question (sherdencooper/GPTFuzz, `datasets/prompts/GPTFuzzer.csv`). */
export const gptfuzzSlot = '[INSERT PROMPT HERE]';

/**
 * The `text` column of a GPTFuzz file (`gptfuzz/templates.csv` or `gptfuzz/questions.csv` as laid out).
 * @throws Error when the file has no `text` column or no text.
 */
export function gptfuzzTexts(file: string): string[] {
  const texts = csvColumn(file, 'text');
  if (texts.length === 0)
    throw new Error(`${file}: no texts; expected a CSV with a "text" column, as GPTFuzz publishes`);
  return texts;
}

/**
 * The jailbreak templates of GPTFuzz with every slot filled by one text (`''`: the template alone).
 * @throws Error naming the row of a template without the slot.
 */
export function filledTemplates(templates: readonly string[], fill: (index: number) => string): string[] {
  return templates.map((template, index) => {
    if (!template.includes(gptfuzzSlot)) {
      throw new Error(`template row ${index + 1}: no "${gptfuzzSlot}" slot; expected GPTFuzz's GPTFuzzer.csv`);
    }
    return template.replaceAll(gptfuzzSlot, fill(index));
  });
}
