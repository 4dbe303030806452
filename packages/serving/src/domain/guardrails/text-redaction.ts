/** A span of a text to replace with a placeholder naming its kind (`email` → `[REDACTED_EMAIL]`). */
export interface TextRedaction {
  kind: string;
  start: number;
  end: number;
}

/** The placeholder of a redacted kind: `[REDACTED_EMAIL]`, `[REDACTED_URL]`. */
export function redactedPlaceholder(kind: string): string {
  return `[REDACTED_${kind.toUpperCase()}]`;
}

/** The text with every span replaced by its placeholder; a span overlapping an earlier one is skipped. */
export function redactSpans(text: string, spans: readonly TextRedaction[]): string {
  let result = '';
  let position = 0;
  for (const span of [...spans].sort((left, right) => left.start - right.start)) {
    if (span.start < position) continue;
    result += text.slice(position, span.start) + redactedPlaceholder(span.kind);
    position = span.end;
  }
  return result + text.slice(position);
}

/** Spans in order with those overlapping an earlier one left out (what {@link redactSpans} replaces). */
export function disjointSpans<Span extends TextRedaction>(spans: readonly Span[]): Span[] {
  const kept: Span[] = [];
  let position = 0;
  for (const span of [...spans].sort((left, right) => left.start - right.start)) {
    if (span.start < position) continue;
    kept.push(span);
    position = span.end;
  }
  return kept;
}
