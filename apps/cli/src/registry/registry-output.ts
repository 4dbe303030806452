import type { AliasMove, AuditEntry, ModelInfo, PromotionResult, PromptInfo } from '@llmops/registry';

/** `champion=2, challenger=3`, or `-` when there are none. */
export function formatAliases(aliases: Readonly<Record<string, number>>): string {
  const entries = Object.entries(aliases).sort(([left], [right]) => left.localeCompare(right));
  return entries.length === 0 ? '-' : entries.map(([alias, version]) => `${alias}=${version}`).join(', ');
}

/** Lays rows out in columns separated by two spaces. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** The table of `prompts list` / `models list`. */
export function formatSubjects(subjects: ReadonlyArray<PromptInfo | ModelInfo>, empty: string): string {
  if (subjects.length === 0) return `${empty}\n`;
  return formatTable(
    ['NAME', 'LATEST', 'ALIASES'],
    subjects.map((subject) => [subject.name, String(subject.latestVersion), formatAliases(subject.aliases)]),
  );
}

function formatVersion(version: number | null): string {
  return version === null ? '-' : String(version);
}

/** One line per alias move: `alias prod of prompt x: 1 -> 2`. */
export function formatAliasMove(move: AliasMove): string {
  if (!move.changed)
    return `alias ${move.alias} of ${move.kind} ${move.name} already points to ${formatVersion(move.toVersion)}\n`;
  if (move.toVersion === null)
    return `alias ${move.alias} of ${move.kind} ${move.name} deleted (was ${formatVersion(move.fromVersion)})\n`;
  return `alias ${move.alias} of ${move.kind} ${move.name}: ${formatVersion(move.fromVersion)} -> ${move.toVersion}\n`;
}

/** The table of `models audit`. */
export function formatAudit(entries: readonly AuditEntry[], subject: string): string {
  if (entries.length === 0) return `no alias changes recorded for ${subject}\n`;
  return formatTable(
    ['WHEN', 'ALIAS', 'FROM', 'TO', 'ACTION', 'ACTOR', 'REASON', 'EVIDENCE'],
    entries.map((entry) => [
      new Date(entry.at).toISOString(),
      entry.alias,
      formatVersion(entry.fromVersion),
      formatVersion(entry.toVersion),
      entry.action,
      entry.actor,
      entry.reason || '-',
      entry.evidence.length > 0 ? entry.evidence.join(' ') : '-',
    ]),
  );
}

/** The text line of a promotion. */
export function formatPromotion(result: PromotionResult): string {
  if (!result.changed) return `${result.alias} of model ${result.name} already points to version ${result.version}\n`;
  const replaced = result.fromVersion === null ? '' : ` (was ${result.fromVersion}, kept as ${result.previousAlias})`;
  const decision = result.decision;
  const judged = decision
    ? decision.allowed
      ? ` under policy "${decision.policy}"`
      : `; policy "${decision.policy}" refused it (${decision.outcomes.filter((outcome) => !outcome.passed).length} criteria failed)`
    : '';
  return `${result.forced ? 'force-promoted' : 'promoted'} model ${result.name} version ${result.version} to ${result.alias}${replaced}${judged}\n`;
}
