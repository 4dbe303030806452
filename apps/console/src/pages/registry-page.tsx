import { useEffect, useRef, useState } from 'preact/hooks';
import { postJson } from '../api/api-client.js';
import type { AuditRow, ListPage, Promotion, RegistrySubject, RegistryVersion } from '../api/api-types.js';
import { KeyControl, useHasKey } from '../components/key-control.js';
import { Badge, Loaded } from '../components/status.js';
import { formatNumber, formatTime } from '../lib/format.js';
import { diffableText, lineDiff } from '../lib/line-diff.js';
import { href } from '../router.js';
import { useApi } from '../use-api.js';

type Collection = 'prompts' | 'models';

function SubjectList({ collection }: { collection: Collection }) {
  const subjects = useApi<ListPage<RegistrySubject>>(`/api/v1/${collection}`);
  return (
    <section aria-labelledby={`${collection}-title`}>
      <h2 id={`${collection}-title`}>{collection === 'prompts' ? 'Prompts' : 'Models'}</h2>
      <Loaded read={subjects} what={`the ${collection}`}>
        {(page) => (
          <table>
            <caption class="visually-hidden">{collection}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Latest</th>
                <th scope="col">Aliases</th>
              </tr>
            </thead>
            <tbody>
              {page.data.map((subject) => (
                <tr key={subject.name}>
                  <td>
                    <a href={href(`/registry/${collection}/${encodeURIComponent(subject.name)}`)}>{subject.name}</a>
                  </td>
                  <td class="number">{subject.latestVersion}</td>
                  <td>
                    {Object.entries(subject.aliases)
                      .map(([alias, version]) => `${alias} → ${version}`)
                      .join(', ') || '–'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Loaded>
    </section>
  );
}

/** The prompts and models of the registry. */
export function RegistryPage() {
  return (
    <section>
      <h1>Registry</h1>
      <div class="columns">
        <SubjectList collection="models" />
        <SubjectList collection="prompts" />
      </div>
    </section>
  );
}

function VersionDiff({ versions }: { versions: RegistryVersion[] }) {
  const sorted = [...versions].sort((left, right) => left.version - right.version);
  const [from, setFrom] = useState(sorted.at(-2)?.version ?? sorted[0]?.version ?? 1);
  const [to, setTo] = useState(sorted.at(-1)?.version ?? 1);
  const content = (version: number) => {
    const found = sorted.find((entry) => entry.version === version);
    return diffableText(found?.template ?? found?.spec ?? null);
  };
  const diff = lineDiff(content(from), content(to));
  const changed = diff.filter((line) => line.kind !== 'same').length;
  const picker = (id: string, label: string, value: number, set: (value: number) => void) => (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => set(Number(event.currentTarget.value))}>
        {sorted.map((version) => (
          <option key={version.version} value={version.version}>
            version {version.version}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <section aria-labelledby="diff-title">
      <h2 id="diff-title">Diff between two versions</h2>
      <div class="filters">
        {picker('diff-from', 'From', from, setFrom)}
        {picker('diff-to', 'To', to, setTo)}
      </div>
      <p aria-live="polite">{changed === 0 ? 'No difference.' : `${changed} line(s) differ.`}</p>
      <pre class="diff" tabIndex={0} aria-label={`diff from version ${from} to version ${to}`}>
        {diff.map((line, index) => (
          <div key={index} class={`diff-line ${line.kind}`}>
            <span class="marker" aria-hidden="true">
              {line.kind === 'added' ? '+' : line.kind === 'removed' ? '−' : ' '}
            </span>
            <span class="visually-hidden">{line.kind === 'same' ? '' : `${line.kind}: `}</span>
            {line.text}
          </div>
        ))}
      </pre>
    </section>
  );
}

/** The confirmation of a promotion or rollback: a modal dialog that names the change and needs a reason. */
function ChangeDialog(props: { title: string; onConfirm: (reason: string) => Promise<void>; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} aria-labelledby="change-title" onClose={props.onClose}>
      <form
        method="dialog"
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          try {
            await props.onConfirm(reason.trim());
            dialog.current?.close();
          } catch (failure) {
            setError(failure instanceof Error ? failure.message : String(failure));
          } finally {
            setBusy(false);
          }
        }}
      >
        <h2 id="change-title">{props.title}</h2>
        <label for="change-reason">Reason (recorded in the audit log)</label>
        <textarea
          id="change-reason"
          required
          rows={3}
          value={reason}
          onInput={(event) => setReason(event.currentTarget.value)}
        />
        {error && (
          <p class="error lines" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy || reason.trim() === ''}>
            Confirm
          </button>
        </div>
      </form>
    </dialog>
  );
}

function PromoteControls({
  name,
  versions,
  aliases,
  onChanged,
}: {
  name: string;
  versions: RegistryVersion[];
  /** The model's aliases now (alias → version), `previous-<alias>` among them when a promotion kept one. */
  aliases: Record<string, number>;
  onChanged: () => void;
}) {
  const hasKey = useHasKey();
  const [version, setVersion] = useState(versions.at(-1)?.version ?? 1);
  const [alias, setAlias] = useState('champion');
  const [force, setForce] = useState(false);
  const [pending, setPending] = useState<'promote' | 'rollback' | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const path = `/api/v1/models/${encodeURIComponent(name)}`;
  // What a rollback would move: the alias back to the version its last promotion replaced (`previous-<alias>`).
  const current = aliases[alias];
  const previous = aliases[`previous-${alias}`];
  const versionText = (value: number | undefined) => (value === undefined ? 'none' : `version ${value}`);
  return (
    <section aria-labelledby="change-controls-title">
      <h2 id="change-controls-title">Promote or roll back</h2>
      <KeyControl />
      {!hasKey && <p class="hint">Promotion and rollback need an admin key, kept in this tab only and never shown.</p>}
      <div class="filters">
        <div class="field">
          <label for="promote-version">Version</label>
          <select
            id="promote-version"
            value={version}
            onChange={(event) => setVersion(Number(event.currentTarget.value))}
          >
            {versions.map((entry) => (
              <option key={entry.version} value={entry.version}>
                version {entry.version}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="promote-alias">Alias</label>
          <input id="promote-alias" value={alias} onInput={(event) => setAlias(event.currentTarget.value)} />
        </div>
        <div class="field inline">
          <input
            id="promote-force"
            type="checkbox"
            checked={force}
            onChange={(event) => setForce(event.currentTarget.checked)}
          />
          <label for="promote-force">Force (skip the promotion policy)</label>
        </div>
      </div>
      <div class="actions">
        <button type="button" class="primary" disabled={!hasKey} onClick={() => setPending('promote')}>
          Promote…
        </button>
        <button type="button" disabled={!hasKey || previous === undefined} onClick={() => setPending('rollback')}>
          Roll back…
        </button>
      </div>
      <p class="hint" id="rollback-hint">
        {previous === undefined
          ? `Nothing to roll back: "${alias}" (${versionText(current)}) has no previous version; a promotion keeps the one it replaces as "previous-${alias}".`
          : `Roll back moves "${alias}" from ${versionText(current)} back to ${versionText(previous)}.`}
      </p>
      {outcome && (
        <p role="status" class="outcome">
          {outcome}
        </p>
      )}
      {pending && (
        <ChangeDialog
          title={
            pending === 'promote'
              ? `Promote ${name}/${version} to "${alias}"${force ? ' (forced)' : ''}?`
              : `Roll back "${alias}" of ${name} from ${versionText(current)} to ${versionText(previous)}?`
          }
          onClose={() => setPending(null)}
          onConfirm={async (reason) => {
            if (pending === 'promote') await postJson(`${path}/promote`, { version, alias, force, reason });
            else await postJson(`${path}/rollback`, { alias, reason });
            setOutcome(
              pending === 'promote'
                ? `Promoted ${name}/${version} to "${alias}".`
                : `Rolled back "${alias}" of ${name} to ${versionText(previous)}.`,
            );
            onChanged();
          }}
        />
      )}
    </section>
  );
}

/** The datasets on which a change rests on exactly two runs (a comparison's), with those runs in the order given. */
function comparedPairs(evidence: Promotion['evidence']): Array<[string, string[]]> {
  const byDataset = new Map<string, string[]>();
  for (const entry of evidence) {
    if (entry.dataset === null) continue;
    byDataset.set(entry.dataset, [...(byDataset.get(entry.dataset) ?? []), entry.run_id]);
  }
  return [...byDataset].filter(([, runIds]) => runIds.length === 2);
}

function PromotionHistory({ name, generation }: { name: string; generation: number }) {
  const promotions = useApi<ListPage<Promotion>>(`/api/v1/models/${encodeURIComponent(name)}/promotions?limit=50`, {
    generation,
  });
  return (
    <section aria-labelledby="promotions-title">
      <h2 id="promotions-title">Promotions and their evidence</h2>
      <Loaded read={promotions} what="the promotions">
        {(page) =>
          page.data.length === 0 ? (
            <p>No promotion yet.</p>
          ) : (
            <ol class="promotions">
              {page.data.map((promotion, index) => (
                <li key={index}>
                  <strong>
                    {promotion.kind} “{promotion.alias}”: {promotion.from_version ?? 'none'} →{' '}
                    {promotion.to_version ?? 'none'}
                  </strong>
                  {promotion.forced ? ' (forced past the promotion policy)' : ''}
                  by {promotion.actor} at {formatTime(promotion.at)}
                  {promotion.reason ? `: ${promotion.reason}` : ''}
                  {promotion.evidence.length > 0 && (
                    <ul class="evidence-list">
                      {promotion.evidence.map((evidence) => (
                        <li key={evidence.run_id}>
                          <a href={href(`/runs/${encodeURIComponent(evidence.run_id)}`)}>
                            {evidence.target ?? 'a deleted run'} on {evidence.dataset ?? '?'}
                          </a>{' '}
                          gate <Badge value={evidence.verdict} />{' '}
                          {Object.entries(evidence.metrics)
                            .slice(0, 6)
                            .map(([metric, mean]) => `${metric} ${formatNumber(mean)}`)
                            .join(' · ')}
                        </li>
                      ))}
                      {comparedPairs(promotion.evidence).map(([dataset, runIds]) => (
                        <li key={`compare-${dataset}`}>
                          <a href={href(`/compare?runs=${runIds.map(encodeURIComponent).join(',')}`)}>
                            compare the two runs on {dataset}
                          </a>
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ol>
          )
        }
      </Loaded>
    </section>
  );
}

/** One prompt or model: versions, aliases, a diff of two versions, the audit log; for models promotions and the controls. */
export function SubjectPage({ collection, name }: { collection: Collection; name: string }) {
  const [generation, setGeneration] = useState(0);
  const base = `/api/v1/${collection}/${encodeURIComponent(name)}`;
  const subject = useApi<RegistrySubject>(base, { generation });
  const versions = useApi<ListPage<RegistryVersion>>(`${base}/versions`);
  const audit = useApi<ListPage<AuditRow>>(`${base}/audit`, { generation });
  const changed = () => setGeneration((value) => value + 1);
  return (
    <section>
      <p>
        <a href={href('/registry')}>← registry</a>
      </p>
      <h1>
        {collection === 'models' ? 'Model' : 'Prompt'} {name}
      </h1>
      <Loaded read={subject} what={name}>
        {(info) => (
          <p>
            Aliases:{' '}
            {Object.entries(info.aliases)
              .map(([alias, version]) => `${alias} → version ${version}`)
              .join(', ') || 'none'}
          </p>
        )}
      </Loaded>
      <Loaded read={versions} what="the versions">
        {(page) => (
          <>
            <h2>Versions</h2>
            <div class="table-scroll" tabIndex={0}>
              <table>
                <caption class="visually-hidden">Versions</caption>
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Registered (UTC)</th>
                    <th scope="col">Author</th>
                    <th scope="col">{collection === 'models' ? 'Evidence' : 'Message'}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.data.map((version) => (
                    <tr key={version.version}>
                      <td class="number">{version.version}</td>
                      <td>{formatTime(version.createdAt)}</td>
                      <td>{version.author}</td>
                      <td>
                        {collection === 'models' && (version.evidence ?? []).length === 0
                          ? '–'
                          : collection === 'models'
                            ? (version.evidence ?? []).map((evidence) => (
                                <span key={evidence.runId} class="evidence">
                                  <a href={href(`/runs/${encodeURIComponent(evidence.runId)}`)}>{evidence.dataset}</a>{' '}
                                  <Badge value={evidence.verdict} />{' '}
                                </span>
                              ))
                            : (version.message ?? '')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {page.data.length >= 2 && <VersionDiff versions={page.data} />}
            {collection === 'models' && (
              <PromoteControls
                name={name}
                versions={page.data}
                aliases={subject.data?.aliases ?? {}}
                onChanged={changed}
              />
            )}
          </>
        )}
      </Loaded>
      {collection === 'models' && <PromotionHistory name={name} generation={generation} />}
      <h2>Audit log</h2>
      <Loaded read={audit} what="the audit log">
        {(page) => (
          <div class="table-scroll" tabIndex={0}>
            <table class="audit">
              <caption class="visually-hidden">Audit log</caption>
              <thead>
                <tr>
                  <th scope="col">At (UTC)</th>
                  <th scope="col">Action</th>
                  <th scope="col">Alias</th>
                  <th scope="col">From → to</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {page.data.map((entry, index) => (
                  <tr key={index}>
                    <td>{formatTime(entry.at)}</td>
                    <td>{entry.action}</td>
                    <td>{entry.alias}</td>
                    <td>
                      {entry.fromVersion ?? '–'} → {entry.toVersion ?? '–'}
                    </td>
                    <td>{entry.actor}</td>
                    <td>{entry.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
    </section>
  );
}
