export { ScriptedJudge } from './scripted-judge.js';
export type { JudgeScript } from './scripted-judge.js';
export { StaticTarget } from './static-target.js';
export { InMemoryRunTracker } from './in-memory-run-tracker.js';
export { runTrackerConformanceCases } from './run-tracker-conformance.js';
export type { RunTrackerFactory, RunTrackerConformanceCase } from './run-tracker-conformance.js';
export { metricTestContext } from './metric-test-context.js';
export type { MetricTestContextOptions } from './metric-test-context.js';
