/** One line of a diff: kept in both, only in the old text, or only in the new one. */
export interface DiffLine {
  kind: 'same' | 'removed' | 'added';
  text: string;
  /** Its line number in the old text (absent for added lines). */
  oldLine?: number;
  /** Its line number in the new text (absent for removed lines). */
  newLine?: number;
}

/**
 * A line diff of two texts by their longest common subsequence: what a version changed from another.
 * Quadratic in lines, which is fine for prompt templates and model specs (hundreds of lines at most).
 */
export function lineDiff(oldText: string, newText: string): DiffLine[] {
  const before = oldText.split('\n');
  const after = newText.split('\n');
  const rows = before.length + 1;
  const columns = after.length + 1;
  // common[i][j]: the length of the longest common subsequence of before[i..] and after[j..].
  const common = new Uint32Array(rows * columns);
  for (let i = before.length - 1; i >= 0; i--) {
    for (let j = after.length - 1; j >= 0; j--) {
      common[i * columns + j] =
        before[i] === after[j]
          ? (common[(i + 1) * columns + j + 1] as number) + 1
          : Math.max(common[(i + 1) * columns + j] as number, common[i * columns + j + 1] as number);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    if (i < before.length && j < after.length && before[i] === after[j]) {
      lines.push({ kind: 'same', text: before[i] as string, oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
    } else if (
      i < before.length &&
      (j >= after.length || (common[(i + 1) * columns + j] as number) >= (common[i * columns + j + 1] as number))
    ) {
      // Removed lines come before the lines that replace them, as in a unified diff.
      lines.push({ kind: 'removed', text: before[i] as string, oldLine: i + 1 });
      i++;
    } else {
      lines.push({ kind: 'added', text: after[j] as string, newLine: j + 1 });
      j++;
    }
  }
  return lines;
}

/** The text a version is diffed on: a template string as it is, anything else as pretty JSON with sorted keys. */
export function diffableText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(sortKeys(value), null, 2) ?? '';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([left], [right]) => left.localeCompare(right))
        .map(([key, inner]) => [key, sortKeys(inner)]),
    );
  }
  return value;
}
