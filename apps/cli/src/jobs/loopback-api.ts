import { startLlmopsServer } from '@llmops/composition';
import type { RunningLlmopsServer } from '@llmops/composition';
import type { JobContext } from './job-kind.js';

/**
 * The llmops API a job starts for itself: in process, on a free loopback port, over the run's store, without request
 * logs, with anonymous inference (on loopback and stopped by the job, so there is no key to create). The job closes it.
 */
export function startLoopbackApi(
  context: JobContext,
  options: { keepQuestionText?: boolean } = {},
): Promise<RunningLlmopsServer> {
  return startLlmopsServer({
    port: 0,
    host: '127.0.0.1',
    cwd: context.io.cwd,
    env: context.io.env,
    storeUri: context.globals.store,
    logger: false,
    anonymousInference: true,
    ...(options.keepQuestionText ? { monitoring: { keepQuestionText: true } } : {}),
  });
}
