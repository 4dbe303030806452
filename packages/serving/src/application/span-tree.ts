import type { PipelineTrace, TraceSpan } from './pipeline.js';

/** A span with how deep it sits under the request: 0 directly under it, 1 inside one of those, and so on. */
export interface SpanAtDepth {
  span: TraceSpan;
  depth: number;
}

/**
 * A trace's spans in tree order: each parent before its children, siblings by start time. A span whose parent is the
 * request itself, is unknown, or is missing (a trace recorded before spans had parents) sits at depth 0.
 */
export function spansInTreeOrder(trace: Pick<PipelineTrace, 'spans'>): SpanAtDepth[] {
  const ids = new Set(trace.spans.map((span) => span.spanId).filter((id) => id !== undefined));
  const children = new Map<string | undefined, TraceSpan[]>();
  for (const span of trace.spans) {
    const parent = span.parentSpanId !== undefined && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const ordered: SpanAtDepth[] = [];
  const visited = new Set<string>();
  const visit = (parent: string | undefined, depth: number) => {
    const siblings = [...(children.get(parent) ?? [])].sort((left, right) => left.startTimeMs - right.startTimeMs);
    for (const span of siblings) {
      ordered.push({ span, depth });
      // Parents that loop (a corrupt record) are visited once.
      if (span.spanId !== undefined && !visited.has(span.spanId)) {
        visited.add(span.spanId);
        visit(span.spanId, depth + 1);
      }
    }
  };
  visit(undefined, 0);
  return ordered;
}
