/** Splits a shell line into words, honouring quotes; `$VAR`, `${VAR}` and `$(…)` become one placeholder word. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index] as string;
    if (char === "'" || char === '"') {
      const end = line.indexOf(char, index + 1);
      if (end < 0) throw new Error(`unterminated ${char} quote in: ${line}`);
      word += line.slice(index + 1, end).replace(/\$\{?\w+\}?/g, 'value');
      index = end;
      inWord = true;
    } else if (char === '$') {
      const substitution = /^\$(\([^)]*\)|\{\w+\}|\w+)/.exec(line.slice(index));
      word += 'value';
      index += (substitution?.[0].length ?? 1) - 1;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
