import { z } from 'zod';

/** A trace's summary as MLflow keeps it. */
export type TraceInfo = z.output<typeof traceInfoSchema>;

/** Who made an assessment, in MLflow's terms. */
export type AssessmentSourceType = 'HUMAN' | 'LLM_JUDGE' | 'CODE';

/** An assessment of a trace as MLflow keeps it: a feedback (a judgement) or an expectation (a ground truth). */
export type TraceAssessment = z.output<typeof assessmentSchema>;

/** The wire shape of a v3 assessment. */
const assessmentSchema = z
  .object({
    assessment_id: z.string(),
    assessment_name: z.string(),
    source: z.object({ source_type: z.string(), source_id: z.string().optional() }).optional(),
    feedback: z.object({ value: z.unknown().optional() }).optional(),
    expectation: z.object({ value: z.unknown().optional() }).optional(),
    rationale: z.string().optional(),
    metadata: z.record(z.string(), z.string()).optional().default({}),
  })
  .transform((wire) => ({
    assessmentId: wire.assessment_id,
    name: wire.assessment_name,
    kind: wire.expectation ? ('expectation' as const) : ('feedback' as const),
    value: (wire.feedback ?? wire.expectation)?.value,
    sourceType: wire.source?.source_type,
    sourceId: wire.source?.source_id,
    rationale: wire.rationale,
    metadata: wire.metadata,
  }));

/** The wire shape of a v3 trace info. */
export const traceInfoSchema = z
  .object({
    trace_id: z.string(),
    trace_location: z
      .object({ mlflow_experiment: z.object({ experiment_id: z.string() }).optional() })
      .optional()
      .default({}),
    request_time: z.string().optional(),
    execution_duration: z.string().optional(),
    state: z.string().optional().default('STATE_UNSPECIFIED'),
    request_preview: z.string().optional(),
    response_preview: z.string().optional(),
    trace_metadata: z.record(z.string(), z.string()).optional().default({}),
    tags: z.record(z.string(), z.string()).optional().default({}),
    assessments: z.array(assessmentSchema).optional().default([]),
  })
  .transform((wire) => ({
    traceId: wire.trace_id,
    experimentId: wire.trace_location.mlflow_experiment?.experiment_id,
    /** ISO 8601 time the trace started. */
    requestTime: wire.request_time,
    /** Duration as protobuf JSON writes it, for example `"1.5s"`. */
    executionDuration: wire.execution_duration,
    /** `OK`, `ERROR` or `IN_PROGRESS`. */
    state: wire.state,
    requestPreview: wire.request_preview,
    responsePreview: wire.response_preview,
    metadata: wire.trace_metadata,
    tags: wire.tags,
    assessments: wire.assessments,
  }));
