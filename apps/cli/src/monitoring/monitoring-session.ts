import { readFileSync } from 'node:fs';
import { onlineMetricNames, selectMonitoredModel } from '@llmops/composition';
import type { MonitoredModel } from '@llmops/composition';
import { loadMonitoringConf, openEventStore } from '@llmops/monitoring';
import type { EventStore, MonitoringConf } from '@llmops/monitoring';
import type { CommandContext } from '../cli-io.js';
import { withRegistry } from '../registry/open-registry.js';
import { workspaceFile } from '../workspace-file.js';

/**
 * The traffic a `--model` reference selects (every version of `name`, the version `name/7`, or the one `name@alias`
 * points to now), checked against the registry of `--store`; all traffic without one.
 * @throws LlmopsError `invalid_input` for a malformed reference, `not_found` naming an unknown model, version or alias.
 */
export async function selectedModel(
  context: CommandContext,
  reference: string | undefined,
): Promise<MonitoredModel | Record<string, never>> {
  if (reference === undefined) return {};
  return withRegistry(context, (registry) => selectMonitoredModel(registry, reference));
}

/** Runs `work` on the event store of `--store`, closing it after. */
export async function withEventStore<Result>(
  context: CommandContext,
  work: (store: EventStore) => Promise<Result>,
): Promise<Result> {
  const opened = openEventStore(context.globals.store, { cwd: context.io.cwd });
  try {
    return await work(opened.store);
  } finally {
    opened.store.close();
  }
}

/**
 * Reads a monitoring conf (relative to the working folder), shown as written in errors.
 * @throws LlmopsError `invalid_input` naming the file, the line and the field.
 */
export function readMonitoringConf(context: CommandContext, file: string): MonitoringConf {
  return loadMonitoringConf(file, {
    env: context.io.env,
    onlineMetrics: onlineMetricNames,
    readFile: (path) => readFileSync(workspaceFile(context.io, path, 'monitoring conf'), 'utf8'),
  });
}
