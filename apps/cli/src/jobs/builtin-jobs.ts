import { createJobCatalog } from './job-catalog.js';
import type { JobCatalog } from './job-catalog.js';
import { doctorJob } from './doctor-job.js';
import { registerJob } from './register-job.js';
import { promoteJob } from './promote-job.js';
import { serveJob } from './serve-job.js';
import { createEvaluateJob } from './evaluate-job.js';
import { smokeJob } from './smoke-job.js';
import { monitorJob } from './monitor-job.js';
import { inferenceJob } from './inference-job.js';
import { servedModelTarget } from '../evaluation/served-model-target.js';

/** The job kinds `llmops run` knows (with `pipeline`), as the program and the conf schemas see them. */
export function createBuiltinJobCatalog(): JobCatalog {
  return createJobCatalog([
    doctorJob,
    registerJob,
    promoteJob,
    createEvaluateJob({ modelTarget: servedModelTarget }),
    smokeJob,
    serveJob,
    monitorJob,
    inferenceJob,
  ]);
}
