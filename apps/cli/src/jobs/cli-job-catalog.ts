import { createJobCatalog } from './job-catalog.js';
import type { JobCatalog } from './job-catalog.js';

/**
 * The job kinds of `llmops run`, loaded when `run` runs (each kind's module imports the packages it needs).
 */
export async function createCliJobCatalog(): Promise<JobCatalog> {
  const [doctor, register, promote, evaluate, target, smoke, serve, monitor, inference, compare, traffic, summary] =
    await Promise.all([
      import('./doctor-job.js'),
      import('./register-job.js'),
      import('./promote-job.js'),
      import('./evaluate-job.js'),
      import('../evaluation/served-model-target.js'),
      import('./smoke-job.js'),
      import('./serve-job.js'),
      import('./monitor-job.js'),
      import('./inference-job.js'),
      import('./compare-job.js'),
      import('./traffic-job.js'),
      import('./summary-job.js'),
    ]);
  return createJobCatalog([
    doctor.doctorJob,
    register.registerJob,
    promote.promoteJob,
    evaluate.createEvaluateJob({ modelTarget: target.servedModelTarget }),
    smoke.smokeJob,
    serve.serveJob,
    monitor.monitorJob,
    inference.inferenceJob,
    compare.compareJob,
    traffic.trafficJob,
    summary.summaryJob,
  ]);
}
