import { loadConfig } from '@llmops/kernel';
import { monitoringConfSchema } from '../../domain/slo/slo-definition.js';
import type { MonitoringConf } from '../../domain/slo/slo-definition.js';

/** The monitoring conf of a workspace, relative to its root. */
export const defaultMonitoringConfFile = 'confs/monitoring.yaml';

/** Options of {@link loadMonitoringConf}. */
export interface LoadMonitoringConfOptions {
  env?: Record<string, string | undefined>;
  readFile?: (path: string) => string;
  /**
   * The metrics online evaluation can score (the caller knows them: monitoring does not import evaluation). When
   * given, `onlineEvaluation.metrics` naming another is refused with the file, the line and the field.
   */
  onlineMetrics?: readonly string[];
}

/**
 * Loads the monitoring conf (rolling windows, service level objectives, alert rules and online evaluation, see
 * `confs/monitoring.yaml`) with the kernel's config loader: `${env:VAR}` interpolation, and errors naming the
 * file, the line and the field.
 * @throws LlmopsError `invalid_input` for a missing file, a YAML error or an invalid section.
 */
export function loadMonitoringConf(file: string, options: LoadMonitoringConfOptions = {}): MonitoringConf {
  const { onlineMetrics, ...loading } = options;
  const schema =
    onlineMetrics === undefined
      ? monitoringConfSchema
      : monitoringConfSchema.superRefine((conf, context) => {
          conf.onlineEvaluation?.metrics.forEach((metric, index) => {
            if (!onlineMetrics.includes(metric))
              context.addIssue({
                code: 'custom',
                message: `"${metric}" cannot be scored online (choose from: ${onlineMetrics.join(', ')})`,
                path: ['onlineEvaluation', 'metrics', index],
              });
          });
        });
  return loadConfig({ files: [file], schema, ...loading });
}
