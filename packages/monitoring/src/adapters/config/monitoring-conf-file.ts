import { loadConfig } from '@llmops/kernel';
import { monitoringConfSchema } from '../../domain/slo/slo-definition.js';
import type { MonitoringConf } from '../../domain/slo/slo-definition.js';

/** The monitoring conf of a workspace, relative to its root. */
export const defaultMonitoringConfFile = 'confs/monitoring.yaml';

/**
 * Loads the monitoring conf (rolling windows and service level objectives, see `confs/monitoring.yaml`) with the
 * kernel's config loader: `${env:VAR}` interpolation, and errors naming the file, the line and the field.
 * @throws LlmopsError `invalid_input` for a missing file, a YAML error or an invalid objective.
 */
export function loadMonitoringConf(
  file: string,
  options: { env?: Record<string, string | undefined>; readFile?: (path: string) => string } = {},
): MonitoringConf {
  return loadConfig({ files: [file], schema: monitoringConfSchema, ...options });
}
