import type { AlertRecord, CorpusCheck, EventDriftReport, SloStatusReport, SloWindowStatus } from '@llmops/monitoring';
import { duration, percentage, pValue, significant } from '../quickstart/human-numbers.js';
import { formatTable } from '../registry/registry-output.js';

// Tables are read by people: ratios, rates and scores to three significant digits, milliseconds whole, as the drift
// and alert lines; `--json` keeps every value whole.
const percent = (ratio: number | null) => (ratio === null ? '-' : percentage(ratio));
const number = (value: number | null) => (value === null ? '-' : significant(value));

function sloValue(kind: string, window: SloWindowStatus): string {
  if (window.value === null) return '-';
  return kind === 'latency'
    ? duration(window.value)
    : kind === 'online_metric'
      ? number(window.value)
      : percent(window.value);
}

function modelOf(report: { model?: { name: string; version?: number } }): string {
  if (!report.model) return 'all models';
  return report.model.version === undefined ? report.model.name : `${report.model.name}/${report.model.version}`;
}

/** The objectives as a table, one row per objective and window, then the breached ones. */
export function formatSloReport(report: SloStatusReport): string {
  const rows = report.slos.flatMap((slo) =>
    slo.windows.map((window) => [
      slo.name,
      slo.objective,
      window.window,
      String(window.events),
      window.badEvents === null ? '-' : String(window.badEvents),
      percent(window.badRatio),
      percent(window.allowedBadRatio),
      number(window.burnRate),
      sloValue(slo.kind, window),
      window.reason ? `${window.state}: ${window.reason}` : window.state,
    ]),
  );
  const header = `service level objectives at ${report.at}, ${modelOf(report)}\n`;
  const table = formatTable(
    ['SLO', 'OBJECTIVE', 'WINDOW', 'EVENTS', 'BAD', 'BAD RATIO', 'ALLOWED', 'BURN RATE', 'VALUE', 'STATE'],
    rows,
  );
  const verdict = report.breached.length === 0 ? 'no objective breached' : `breached: ${report.breached.join(', ')}`;
  return `${header}${table}${verdict}\n`;
}

/** How a feature's value is compared with its threshold for drift (the classifier's AUC strictly above it). */
function comparison(feature: EventDriftReport['features'][number]): string {
  if (feature.thresholdOn === 'p_value') return 'p <';
  return feature.method === 'domain_classifier' ? '>' : '>=';
}

/** The drift report as a table, one row per feature, then the skipped features and the overall verdict. */
export function formatDriftReport(report: EventDriftReport): string {
  const reference =
    report.reference.kind === 'window'
      ? `the window ${report.reference.from} to ${report.reference.to} (${report.reference.events} events)`
      : `the ${report.reference.inputs} inputs of ${report.reference.source}`;
  const header = `drift of ${report.current.from} to ${report.current.to} (${report.current.events} events, ${modelOf(report)}) against ${reference}\n`;
  const rows = report.features.map((feature) => [
    feature.name,
    feature.kind,
    feature.method ?? '-',
    String(feature.referenceSize),
    String(feature.currentSize),
    feature.statistic === null ? '-' : significant(feature.statistic),
    feature.pValue === null ? '-' : pValue(feature.pValue),
    feature.threshold === null ? '-' : `${comparison(feature)} ${significant(feature.threshold)}`,
    feature.reason ? `${feature.verdict}: ${feature.reason}` : feature.verdict,
  ]);
  const table =
    rows.length === 0
      ? 'no feature to compare\n'
      : formatTable(
          ['FEATURE', 'KIND', 'METHOD', 'REFERENCE', 'CURRENT', 'STATISTIC', 'P-VALUE', 'THRESHOLD', 'VERDICT'],
          rows,
        );
  const skipped = report.skipped.map((feature) => `skipped ${feature.name}: ${feature.reason}\n`).join('');
  const share =
    report.driftShare === null
      ? 'no feature had enough data'
      : `${report.driftedFeatures} of ${report.testedFeatures} tested features drifted; dataset drift at a share >= ${report.datasetDriftShare}`;
  return `${header}${table}${skipped}verdict: ${report.verdict} (${share})\n${formatUnansweredTopics(report)}`;
}

/** The unanswered topics of a drift report: the rule, then one row per topic (or why none was judged). */
function formatUnansweredTopics(report: EventDriftReport): string {
  const found = report.unansweredTopics;
  if (!found) return '';
  const { minCurrentEvents, minRefusalShare, pValueThreshold } = found.rule;
  const rule = `at least ${minCurrentEvents} events, refused >= ${percent(minRefusalShare)}, rise p < ${pValueThreshold}`;
  if (found.topics.length === 0) {
    const why = found.reason ?? `${found.examinedTopics} topics judged`;
    return `unanswered topics: none (${why}; ${rule})\n`;
  }
  const rows = found.topics.map((topic) => [
    topic.topic,
    String(topic.currentEvents),
    percent(topic.currentShare),
    `${percent(topic.referenceShare)} of ${topic.referenceEvents}${topic.basis === 'window' ? ' (all topics)' : ''}`,
    pValue(topic.pValue),
  ]);
  return `unanswered topics (${rule}):\n${formatTable(['TOPIC', 'EVENTS', 'REFUSED', 'REFERENCE REFUSED', 'P-VALUE'], rows)}`;
}

/** What one action did, in one line: its status, why, and for a rollback the versions moved. */
function actionLine(action: AlertRecord['actions'][number]): string {
  const moved =
    action.action === 'rollback' && action.result
      ? ` (${action.result.model}@${action.result.alias}: ${action.result.fromVersion ?? 'none'} -> ${action.result.toVersion})`
      : '';
  return `  ${action.action}: ${action.status}${action.reason ? ` - ${action.reason}` : ''}${moved}\n`;
}

/**
 * Fired alerts, each as a head line (time, rule, severity, signal, model, dry-run) and one line per notification
 * and per action with its outcome.
 */
export function formatAlerts(records: readonly AlertRecord[]): string {
  if (records.length === 0) return 'no alert fired\n';
  return records
    .map((record) => {
      const value =
        record.signal.value === null
          ? ''
          : ` (${significant(record.signal.value)} against ${record.signal.threshold === null ? '-' : significant(record.signal.threshold)})`;
      const head =
        `${new Date(record.at).toISOString()} alert ${record.rule} (${record.severity}): ${record.signal.source} ` +
        `${record.signal.name} breached${value}${record.model ? `, model ${record.model}` : ''}` +
        `${record.dryRun ? ', dry-run' : ''}, ${record.status} [${record.id}]\n`;
      const notifications = record.notifications.map(
        (item) =>
          `  notify ${item.channel === item.target ? item.channel : `${item.channel} ${item.target}`}: ${item.status}` +
          `${item.attempts > 1 ? ` after ${item.attempts} attempts` : ''}${item.error ? ` - ${item.error}` : ''}\n`,
      );
      return head + notifications.join('') + record.actions.map(actionLine).join('');
    })
    .join('');
}

/** The corpus check of a RAG champion, in one line. */
export function formatCorpusCheck(check: CorpusCheck): string {
  const short = (hash: string | null) => (hash === null ? 'unknown' : `${hash.slice(0, 19)}…`);
  const state =
    check.recorded === null || check.current === null
      ? `not compared: ${check.reason ?? 'a hash is missing'}`
      : check.recorded === check.current
        ? 'unchanged'
        : 'changed';
  return `corpus of ${check.model}/${check.version} (${check.location}): registered ${short(check.recorded)}, now ${short(check.current)}: ${state}\n`;
}
