import { buildNestedPipelineTrace, buildPipelineTrace } from '@llmops/serving/testing';
import { traceDetailView } from './trace-routes.js';

describe('a trace as GET /api/v1/traces/:id answers it', () => {
  it('gives each span its id and its parent: null under the request, else the span it ran inside', () => {
    const trace = buildNestedPipelineTrace();
    const { spans } = traceDetailView(trace, []);
    const nameOf = new Map(spans.map((span) => [span.span_id, span.name]));
    expect(spans.map((span) => [span.name, span.parent_id === null ? null : nameOf.get(span.parent_id)])).toEqual([
      ['resolve', null],
      ['guard_input', null],
      ['attempt', null],
      ['generate', 'attempt'],
      ['agent_run', 'generate'],
      ['agent_turn', 'agent_run'],
      ['tool_call', 'agent_turn'],
      ['agent_turn', 'agent_run'],
      ['guard_output', null],
    ]);
    expect(spans.map((span) => span.span_id)).toEqual(trace.spans.map((span) => span.spanId));
  });

  it('reads a trace recorded before spans had parents flat, numbering its spans in start order', () => {
    const { spans } = traceDetailView(buildPipelineTrace(), []);
    expect(spans.map((span) => [span.span_id, span.parent_id, span.name])).toEqual([
      ['1', null, 'resolve'],
      ['2', null, 'retrieve'],
      ['3', null, 'guard_input'],
      ['4', null, 'generate'],
      ['5', null, 'guard_output'],
    ]);
  });
});
