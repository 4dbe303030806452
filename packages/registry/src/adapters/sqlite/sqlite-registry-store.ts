import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { LlmopsError, openSqliteFile } from '@llmops/kernel';
import type { AuditAction, AuditEntry } from '../../domain/audit-entry.js';
import type { EvidenceLink, ModelInfo, ModelLineage, ModelVersion } from '../../domain/model.js';
import type { ModelVersionSpec } from '@llmops/kernel';
import type { PromptInfo, PromptVersion } from '../../domain/prompt.js';
import type { PromptTemplate } from '../../domain/prompt-template.js';
import {
  aliasConflictError,
  nameTakenError,
  subjectNotFoundError,
  versionNotFoundError,
} from '../../domain/registry-errors.js';
import type { SubjectKind } from '../../domain/registry-names.js';
import type {
  AttachEvidenceRequest,
  CreatedVersion,
  MoveAliasesRequest,
  NewModelVersion,
  NewPromptVersion,
  RegistryStore,
} from '../../ports.js';
import { migrate } from './sqlite-migrations.js';

/** Options of {@link SqliteRegistryStore}. */
export interface SqliteRegistryStoreOptions {
  /** The database file (its folder is created), or `:memory:`. */
  path: string;
  /** The store URI, for messages; `sqlite:<path>` by default. */
  uri?: string;
  /** How long a write waits for another process's write lock, in milliseconds; 5000 by default. */
  busyTimeoutMs?: number;
}

type Row = Record<string, unknown>;

interface SubjectRow {
  name: string;
  kind: SubjectKind;
  description: string;
  tags: string;
  created_at: number;
}

function json<Value>(text: unknown): Value {
  return JSON.parse(String(text)) as Value;
}

function toPromptVersion(row: Row): PromptVersion {
  return {
    name: String(row['name']),
    version: Number(row['version']),
    template: json<PromptTemplate>(row['template']),
    variables: json<string[]>(row['variables']),
    message: String(row['message']),
    tags: json<Record<string, string>>(row['tags']),
    createdAt: Number(row['created_at']),
    author: String(row['author']),
    contentHash: String(row['content_hash']),
  };
}

function toEvidence(row: Row): EvidenceLink {
  return {
    runId: String(row['run_id']),
    dataset: String(row['dataset']),
    verdict: row['verdict'] === 'passed' ? 'passed' : 'failed',
    metrics: json<Record<string, number>>(row['metrics']),
    attachedAt: Number(row['attached_at']),
  };
}

function toAuditEntry(row: Row): AuditEntry {
  return {
    kind: row['kind'] === 'prompt' ? 'prompt' : 'model',
    name: String(row['name']),
    alias: String(row['alias']),
    fromVersion: row['from_version'] === null ? null : Number(row['from_version']),
    toVersion: row['to_version'] === null ? null : Number(row['to_version']),
    action: String(row['action']) as AuditAction,
    actor: String(row['actor']),
    reason: String(row['reason']),
    evidence: json<string[]>(row['evidence']),
    at: Number(row['at']),
  };
}

/** Turns a SQLite failure into an LlmopsError: a busy database is `unavailable` (retryable), the rest `internal`. */
function storeError(error: unknown, uri: string): LlmopsError {
  if (LlmopsError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/SQLITE_BUSY|database is locked/i.test(message)) {
    return new LlmopsError('unavailable', `store ${uri} is busy (another process holds its write lock); retry`, {
      cause: error,
    });
  }
  return new LlmopsError('internal', `store ${uri}: ${message}`, { cause: error });
}

/**
 * The embedded registry store: one SQLite file through `node:sqlite`, in WAL mode, migrated on open.
 * Every write is one `BEGIN IMMEDIATE` transaction, so compare-and-set holds across processes and
 * nothing is ever half-written.
 */
export class SqliteRegistryStore implements RegistryStore {
  readonly uri: string;
  readonly locality = 'local' as const;
  private readonly database: DatabaseSync;
  private readonly statements: Record<string, StatementSync>;
  private closed = false;

  /** @throws LlmopsError `unavailable` when the file cannot be opened or migrated. */
  constructor(options: SqliteRegistryStoreOptions) {
    this.uri = options.uri ?? `sqlite:${options.path}`;
    try {
      this.database = openSqliteFile(options);
      migrate(this.database);
    } catch (cause) {
      const reason = LlmopsError.isInstance(cause)
        ? cause.message
        : cause instanceof Error
          ? cause.message
          : String(cause);
      throw new LlmopsError('unavailable', `store ${this.uri} cannot be opened at ${options.path}: ${reason}`, {
        cause,
      });
    }
    const prepare = (sql: string) => this.database.prepare(sql);
    this.statements = {
      dataVersion: prepare('PRAGMA data_version'),
      subject: prepare('SELECT name, kind, description, tags, created_at FROM registry_subjects WHERE name = ?'),
      subjectsOfKind: prepare(
        'SELECT name, kind, description, tags, created_at FROM registry_subjects WHERE kind = ? ORDER BY name',
      ),
      insertSubject: prepare(
        'INSERT INTO registry_subjects (name, kind, description, tags, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      describeSubject: prepare('UPDATE registry_subjects SET description = ?, tags = ? WHERE name = ?'),
      aliasesOf: prepare('SELECT alias, version FROM registry_aliases WHERE name = ? ORDER BY alias'),
      aliasesOfKind: prepare(
        'SELECT a.name, a.alias, a.version FROM registry_aliases a JOIN registry_subjects s ON s.name = a.name WHERE s.kind = ? ORDER BY a.alias',
      ),
      alias: prepare('SELECT version FROM registry_aliases WHERE name = ? AND alias = ?'),
      upsertAlias: prepare(
        'INSERT INTO registry_aliases (name, alias, version, updated_at) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at',
      ),
      deleteAlias: prepare('DELETE FROM registry_aliases WHERE name = ? AND alias = ?'),
      latestPrompt: prepare('SELECT MAX(version) AS version FROM registry_prompt_versions WHERE name = ?'),
      latestPrompts: prepare('SELECT name, MAX(version) AS version FROM registry_prompt_versions GROUP BY name'),
      promptVersion: prepare('SELECT * FROM registry_prompt_versions WHERE name = ? AND version = ?'),
      promptVersions: prepare('SELECT * FROM registry_prompt_versions WHERE name = ? ORDER BY version'),
      promptByHash: prepare(
        'SELECT * FROM registry_prompt_versions WHERE name = ? AND content_hash = ? ORDER BY version LIMIT 1',
      ),
      insertPrompt: prepare(
        'INSERT INTO registry_prompt_versions (name, version, template, variables, message, tags, author, created_at, content_hash) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      latestModel: prepare('SELECT MAX(version) AS version FROM registry_model_versions WHERE name = ?'),
      latestModels: prepare('SELECT name, MAX(version) AS version FROM registry_model_versions GROUP BY name'),
      modelVersion: prepare('SELECT * FROM registry_model_versions WHERE name = ? AND version = ?'),
      modelVersions: prepare('SELECT * FROM registry_model_versions WHERE name = ? ORDER BY version'),
      modelByHash: prepare(
        'SELECT * FROM registry_model_versions WHERE name = ? AND content_hash = ? ORDER BY version LIMIT 1',
      ),
      insertModel: prepare(
        'INSERT INTO registry_model_versions (name, version, spec, content_hash, lineage, author, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      evidenceOf: prepare(
        'SELECT * FROM registry_model_evidence WHERE name = ? AND version = ? ORDER BY attached_at, run_id',
      ),
      evidenceOfModel: prepare('SELECT * FROM registry_model_evidence WHERE name = ? ORDER BY attached_at, run_id'),
      insertEvidence: prepare(
        'INSERT INTO registry_model_evidence (name, version, run_id, dataset, verdict, metrics, attached_at) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
          'ON CONFLICT (name, version, run_id) DO NOTHING',
      ),
      insertAudit: prepare(
        'INSERT INTO registry_audit (kind, name, alias, from_version, to_version, action, actor, reason, evidence, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      auditOf: prepare('SELECT * FROM registry_audit WHERE name = ? AND kind = ? ORDER BY id'),
    };
  }

  /** SQLite's `data_version`: changes when another connection commits. */
  changeMarker(): number {
    return Number((this.statement('dataVersion').get() as { data_version: number }).data_version);
  }

  async createPromptVersion(input: NewPromptVersion): Promise<CreatedVersion<PromptVersion>> {
    return this.write(() => {
      this.ensureSubject({ kind: 'prompt', name: input.name, createdAt: input.createdAt });
      const existing = this.statement('promptByHash').get(input.name, input.contentHash);
      if (existing) return { version: toPromptVersion(existing), created: false };
      const version = this.nextVersion('latestPrompt', input.name);
      this.statement('insertPrompt').run(
        input.name,
        version,
        JSON.stringify(input.template),
        JSON.stringify(input.variables),
        input.message,
        JSON.stringify(input.tags),
        input.author,
        input.createdAt,
        input.contentHash,
      );
      return {
        version: toPromptVersion(this.statement('promptVersion').get(input.name, version) as Row),
        created: true,
      };
    });
  }

  async getPrompt(name: string): Promise<PromptInfo | undefined> {
    return this.read(() => this.subjectInfo({ kind: 'prompt', name }));
  }

  async listPrompts(): Promise<PromptInfo[]> {
    return this.read(() => this.subjectInfos('prompt'));
  }

  async getPromptVersion(name: string, version: number): Promise<PromptVersion | undefined> {
    return this.read(() => {
      const row = this.statement('promptVersion').get(name, version);
      return row ? toPromptVersion(row) : undefined;
    });
  }

  async listPromptVersions(name: string): Promise<PromptVersion[]> {
    return this.read(() => this.rows('promptVersions', name).map(toPromptVersion));
  }

  async createModelVersion(input: NewModelVersion): Promise<CreatedVersion<ModelVersion>> {
    return this.write(() => {
      this.ensureSubject({
        kind: 'model',
        name: input.name,
        createdAt: input.createdAt,
        description: input.spec.description,
        tags: input.spec.tags,
      });
      const existing = this.statement('modelByHash').get(input.name, input.contentHash);
      if (existing) return { version: this.toModelVersion(existing), created: false };
      const version = this.nextVersion('latestModel', input.name);
      this.statement('insertModel').run(
        input.name,
        version,
        JSON.stringify(input.spec),
        input.contentHash,
        JSON.stringify(input.lineage),
        input.author,
        input.createdAt,
      );
      // The model's description and tags follow its latest registration (as on MLflow).
      this.statement('describeSubject').run(input.spec.description, JSON.stringify(input.spec.tags), input.name);
      return {
        version: this.toModelVersion(this.statement('modelVersion').get(input.name, version) as Row),
        created: true,
      };
    });
  }

  async getModel(name: string): Promise<ModelInfo | undefined> {
    return this.read(() => this.subjectInfo({ kind: 'model', name }));
  }

  async listModels(): Promise<ModelInfo[]> {
    return this.read(() => this.subjectInfos('model'));
  }

  async getModelVersion(name: string, version: number): Promise<ModelVersion | undefined> {
    return this.read(() => {
      const row = this.statement('modelVersion').get(name, version);
      return row ? this.toModelVersion(row) : undefined;
    });
  }

  async listModelVersions(name: string): Promise<ModelVersion[]> {
    return this.read(() => {
      const evidence = new Map<number, EvidenceLink[]>();
      for (const row of this.rows('evidenceOfModel', name)) {
        const version = Number(row['version']);
        evidence.set(version, [...(evidence.get(version) ?? []), toEvidence(row)]);
      }
      return this.rows('modelVersions', name).map((row) =>
        this.toModelVersion(row, evidence.get(Number(row['version'])) ?? []),
      );
    });
  }

  async attachEvidence(request: AttachEvidenceRequest): Promise<ModelVersion> {
    return this.write(() => {
      const row = this.statement('modelVersion').get(request.name, request.version);
      if (!row) throw this.missingVersion({ kind: 'model', name: request.name, version: request.version });
      for (const link of request.evidence) {
        this.statement('insertEvidence').run(
          request.name,
          request.version,
          link.runId,
          link.dataset,
          link.verdict,
          JSON.stringify(link.metrics),
          link.attachedAt,
        );
      }
      return this.toModelVersion(row);
    });
  }

  async moveAliases(request: MoveAliasesRequest): Promise<void> {
    this.write(() => {
      const subject = this.statement('subject').get(request.name) as SubjectRow | undefined;
      if (!subject || subject.kind !== request.kind)
        throw subjectNotFoundError({ kind: request.kind, name: request.name });
      const versionStatement = request.kind === 'prompt' ? 'promptVersion' : 'modelVersion';
      const updatedAt = request.audit[0]?.at ?? Date.now();
      for (const change of request.changes) {
        if (change.to !== null && !this.statement(versionStatement).get(request.name, change.to)) {
          throw versionNotFoundError({ kind: request.kind, name: request.name, version: change.to });
        }
        const row = this.statement('alias').get(request.name, change.alias) as { version: number } | undefined;
        const actual = row ? Number(row.version) : null;
        if (actual !== change.expected) {
          throw aliasConflictError({
            kind: request.kind,
            name: request.name,
            alias: change.alias,
            expected: change.expected,
            actual,
          });
        }
        if (change.to === null) this.statement('deleteAlias').run(request.name, change.alias);
        else this.statement('upsertAlias').run(request.name, change.alias, change.to, updatedAt);
      }
      for (const entry of request.audit) {
        this.statement('insertAudit').run(
          entry.kind,
          entry.name,
          entry.alias,
          entry.fromVersion,
          entry.toVersion,
          entry.action,
          entry.actor,
          entry.reason,
          JSON.stringify(entry.evidence),
          entry.at,
        );
      }
    });
  }

  async listAudit(kind: SubjectKind, name: string): Promise<AuditEntry[]> {
    return this.read(() => this.rows('auditOf', name, kind).map(toAuditEntry));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.database.close();
  }

  private statement(name: string): StatementSync {
    if (this.closed) throw new LlmopsError('unavailable', `store ${this.uri} is closed`);
    return this.statements[name] as StatementSync;
  }

  /** All rows of a statement, as an array of this realm (test runners compare prototypes). */
  private rows(name: string, ...parameters: Array<string | number>): Row[] {
    return [...this.statement(name).all(...parameters)];
  }

  private read<Result>(work: () => Result): Result {
    try {
      return work();
    } catch (error) {
      throw storeError(error, this.uri);
    }
  }

  /** Runs `work` in one `BEGIN IMMEDIATE` transaction: all of it is written, or none. */
  private write<Result>(work: () => Result): Result {
    if (this.closed) throw new LlmopsError('unavailable', `store ${this.uri} is closed`);
    try {
      this.database.exec('BEGIN IMMEDIATE');
    } catch (error) {
      throw storeError(error, this.uri);
    }
    try {
      const result = work();
      this.database.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.database.isTransaction) this.database.exec('ROLLBACK');
      throw storeError(error, this.uri);
    }
  }

  private ensureSubject(subject: {
    kind: SubjectKind;
    name: string;
    createdAt: number;
    description?: string;
    tags?: Readonly<Record<string, string>>;
  }) {
    const row = this.statement('subject').get(subject.name) as SubjectRow | undefined;
    if (row && row.kind !== subject.kind) throw nameTakenError({ kind: subject.kind, name: subject.name });
    if (!row) {
      this.statement('insertSubject').run(
        subject.name,
        subject.kind,
        subject.description ?? '',
        JSON.stringify(subject.tags ?? {}),
        subject.createdAt,
      );
    }
  }

  private nextVersion(statement: 'latestPrompt' | 'latestModel', name: string): number {
    const row = this.statement(statement).get(name) as { version: number | null };
    return Number(row.version ?? 0) + 1;
  }

  private missingVersion(options: { kind: SubjectKind; name: string; version: number }): LlmopsError {
    const subject = this.statement('subject').get(options.name) as SubjectRow | undefined;
    return subject && subject.kind === options.kind ? versionNotFoundError(options) : subjectNotFoundError(options);
  }

  private toModelVersion(row: Row, evidence?: EvidenceLink[]): ModelVersion {
    const name = String(row['name']);
    const version = Number(row['version']);
    return {
      name,
      version,
      spec: json<ModelVersionSpec>(row['spec']),
      contentHash: String(row['content_hash']),
      lineage: json<ModelLineage>(row['lineage']),
      evidence: evidence ?? this.rows('evidenceOf', name, version).map(toEvidence),
      createdAt: Number(row['created_at']),
      author: String(row['author']),
    };
  }

  private subjectInfo(options: { kind: SubjectKind; name: string }): (PromptInfo & ModelInfo) | undefined {
    const row = this.statement('subject').get(options.name) as SubjectRow | undefined;
    if (!row || row.kind !== options.kind) return undefined;
    const latest = this.statement(options.kind === 'prompt' ? 'latestPrompt' : 'latestModel').get(options.name) as {
      version: number;
    };
    const aliases = Object.fromEntries(
      this.rows('aliasesOf', options.name).map((alias) => [String(alias['alias']), Number(alias['version'])]),
    );
    return {
      name: row.name,
      description: row.description,
      tags: json(row.tags),
      createdAt: Number(row.created_at),
      latestVersion: Number(latest.version),
      aliases,
    };
  }

  private subjectInfos(kind: SubjectKind): Array<PromptInfo & ModelInfo> {
    const latest = new Map(
      this.rows(kind === 'prompt' ? 'latestPrompts' : 'latestModels').map((row) => [
        String(row['name']),
        Number(row['version']),
      ]),
    );
    const aliases = new Map<string, Record<string, number>>();
    for (const row of this.rows('aliasesOfKind', kind)) {
      const name = String(row['name']);
      aliases.set(name, { ...aliases.get(name), [String(row['alias'])]: Number(row['version']) });
    }
    return (this.rows('subjectsOfKind', kind) as unknown as SubjectRow[]).map((row) => ({
      name: row.name,
      description: row.description,
      tags: json(row.tags),
      createdAt: Number(row.created_at),
      latestVersion: latest.get(row.name) ?? 0,
      aliases: aliases.get(row.name) ?? {},
    }));
  }
}
