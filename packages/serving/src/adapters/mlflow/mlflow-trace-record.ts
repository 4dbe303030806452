import type { PipelineTrace } from '../../application/pipeline.js';

/**
 * The root span attribute holding the trace's record (JSON), which {@link MlflowTraceReader} reads back so that a trace
 * listed from MLflow has the same facts as one from the embedded store.
 */
export const traceRecordAttribute = 'llmops.record';

/**
 * The record of a trace as it goes to MLflow: the pipeline's record without message text (the retrieval query becomes `''`
 * and the text of retrieved passages stays out; sources, titles, scores and counts stay in).
 */
export function messageFreeRecord(trace: PipelineTrace): PipelineTrace {
  if (!trace.retrieval) return trace;
  return {
    ...trace,
    retrieval: {
      ...trace.retrieval,
      query: '',
      passages: trace.retrieval.passages.map((passage) => {
        const withoutText = { ...passage };
        delete withoutText.context;
        return withoutText;
      }),
    },
  };
}

/** What a request came to, for filters: `blocked` by a guardrail, else its status. */
export function traceOutcome(trace: PipelineTrace): 'ok' | 'error' | 'blocked' {
  return trace.blocked ? 'blocked' : trace.status;
}
