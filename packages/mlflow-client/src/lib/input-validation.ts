import { LlmopsError, namePattern } from '@llmops/kernel';

/**
 * Early checks of the inputs MLflow 3.17 would reject (mlflow/utils/validation.py), so that a bad
 * call fails before any request with `invalid_input` naming the field, rather than half-way
 * through a split batch.
 */

/** MLflow's limits, as enforced by its server. */
export const mlflowLimits = {
  /** Longest metric, param or run tag key. */
  entityKeyLength: 250,
  /** Longest param value. */
  paramValueLength: 6000,
  /** Longest run tag value. */
  runTagValueLength: 8000,
  /** Longest experiment name. */
  experimentNameLength: 500,
  /** Longest experiment tag key. */
  experimentTagKeyLength: 250,
  /** Longest experiment tag value. */
  experimentTagValueLength: 20_000,
  /** Longest registered model / model version tag key. */
  registryTagKeyLength: 250,
  /** Longest registered model / model version tag value (a prompt's text included). */
  registryTagValueLength: 100_000,
  /** Longest alias. */
  aliasLength: 255,
  /** Metrics in one log-batch request. */
  metricsPerBatch: 1000,
  /** Params in one log-batch request. */
  paramsPerBatch: 100,
  /** Tags in one log-batch request. */
  tagsPerBatch: 100,
  /** Metrics, params and tags together in one log-batch request. */
  entitiesPerBatch: 1000,
  /** Bytes of one log-batch request body. */
  batchRequestBytes: 1_000_000,
  /** Longest dataset name. */
  datasetNameLength: 500,
  /** Longest dataset digest. */
  datasetDigestLength: 36,
  /** Longest dataset source type (the column's width in MLflow's SQL stores; PostgreSQL enforces it). */
  datasetSourceTypeLength: 36,
  /** Longest dataset source description. */
  datasetSourceLength: 65_535,
  /** Longest dataset schema. */
  datasetSchemaLength: 1_048_575,
  /** Longest dataset profile. */
  datasetProfileLength: 16_777_215,
  /** Longest input tag key (a dataset input's `mlflow.data.context`, for one). */
  inputTagKeyLength: 255,
  /** Longest input tag value. */
  inputTagValueLength: 500,
  /** Dataset inputs in one log-inputs request (the batch size of MLflow's own client). */
  datasetsPerRequest: 1000,
} as const;

function fail(message: string): never {
  throw new LlmopsError('invalid_input', message);
}

function quote(value: string): string {
  return value.length > 60 ? `"${value.slice(0, 60)}…"` : `"${value}"`;
}

/** Python's `\w` is Unicode-aware; letters, marks, digits and `_` approximate it. */
const entityKeyPattern = /^[/\p{L}\p{M}\p{N}_.\- :]*$/u;

/** True when a key would not survive `posixpath.normpath` unchanged (MLflow's `path_not_unique`). */
function isNotUniquePath(name: string): boolean {
  if (name === '' || name.startsWith('/') || name.endsWith('/') || name.includes('//')) return true;
  return name.split('/').some((segment) => segment === '.' || segment === '..');
}

/**
 * Checks a metric, param or run tag key: characters `A-Z a-z 0-9 _ - . / : space`, a normalised
 * path, at most 250 characters.
 * @throws LlmopsError `invalid_input` naming `field`.
 */
export function checkEntityKey(key: string, field: string): void {
  if (typeof key !== 'string' || key.length === 0)
    fail(`${field} is empty; expected a name like "loss" or "eval/accuracy"`);
  if (key.length > mlflowLimits.entityKeyLength) {
    fail(
      `${field} ${quote(key)} is ${key.length} characters long; MLflow allows at most ${mlflowLimits.entityKeyLength}`,
    );
  }
  if (!entityKeyPattern.test(key)) {
    fail(`${field} ${quote(key)} has characters MLflow rejects; expected letters, digits, _ - . / : and spaces`);
  }
  if (isNotUniquePath(key)) {
    fail(`${field} ${quote(key)} is not a normalised path (no leading or trailing "/", "//", "." or ".." segments)`);
  }
}

/**
 * Checks that a string value is at most `maximum` characters long.
 * @throws LlmopsError `invalid_input` naming `field`.
 */
export function checkLength(value: string, options: { field: string; maximum: number }): void {
  if (typeof value !== 'string') fail(`${options.field} is ${typeof value}; expected a string`);
  if (value.length > options.maximum) {
    fail(`${options.field} is ${value.length} characters long; MLflow allows at most ${options.maximum}`);
  }
}

/**
 * Checks a registered model name as MLflow does: not blank, no `/` or `:`, a normalised path.
 * @throws LlmopsError `invalid_input` naming `field`.
 */
export function checkModelName(name: string, field = 'name'): void {
  if (typeof name !== 'string' || name.trim() === '') fail(`${field} is empty; expected a registered model name`);
  if (name.includes('/') || name.includes(':'))
    fail(`${field} ${quote(name)} contains "/" or ":", which MLflow rejects in model names`);
  if (name === '.' || name.startsWith('..'))
    fail(`${field} ${quote(name)} would not survive path normalisation, which MLflow requires of model names`);
}

/**
 * Checks a prompt name against MLflow's prompt rule (`^[a-zA-Z0-9_.-]+$`, kernel's `namePattern`).
 * @throws LlmopsError `invalid_input` naming `field`.
 */
export function checkPromptName(name: string, field = 'name'): void {
  if (typeof name !== 'string' || name.length === 0)
    fail(`${field} is empty; expected a prompt name of A-Z a-z 0-9 _ . -`);
  if (!namePattern.test(name))
    fail(`${field} ${quote(name)} has characters outside A-Z a-z 0-9 _ . -, which MLflow rejects in prompt names`);
}

/**
 * Checks an alias: letters, digits, `_` and `-` only, at most 255 characters. When `forWrite`,
 * also refuses the names MLflow reserves (`latest` in any case, and `v<digits>`).
 * @throws LlmopsError `invalid_input` naming `field`.
 */
export function checkAlias(alias: string, options: { field?: string; forWrite: boolean }): void {
  const field = options.field ?? 'alias';
  if (typeof alias !== 'string' || alias.length === 0) fail(`${field} is empty; expected letters, digits, _ and -`);
  if (!/^[\p{L}\p{M}\p{N}_-]+$/u.test(alias))
    fail(`${field} ${quote(alias)} has characters MLflow rejects in aliases; expected letters, digits, _ and -`);
  if (alias.length > mlflowLimits.aliasLength)
    fail(`${field} is ${alias.length} characters long; MLflow allows at most ${mlflowLimits.aliasLength}`);
  if (options.forWrite && alias.toLowerCase() === 'latest')
    fail(`${field} "latest" is reserved by MLflow (it always means the newest version)`);
  if (options.forWrite && /^[vV]\d+$/.test(alias))
    fail(`${field} ${quote(alias)} is reserved by MLflow for version numbers`);
}

/**
 * Checks an experiment name: not empty, at most 500 characters.
 * @throws LlmopsError `invalid_input` naming `field`.
 */
export function checkExperimentName(name: string, field = 'name'): void {
  if (typeof name !== 'string' || name.length === 0) fail(`${field} is empty; expected an experiment name`);
  checkLength(name, { field, maximum: mlflowLimits.experimentNameLength });
}

/**
 * Checks an id MLflow generated (run or experiment id): starts with a letter or digit, then letters, digits, `_` or `-`.
 * @throws LlmopsError `invalid_input` naming `field`.
 */
export function checkId(id: string, field: string): void {
  if (typeof id !== 'string' || !/^[a-zA-Z0-9][\w-]{0,255}$/.test(id)) {
    fail(
      `${field} ${typeof id === 'string' ? quote(id) : String(id)} is not an MLflow id; expected letters, digits, _ and -`,
    );
  }
}

/**
 * Checks a model version number: a whole number from 1.
 * @throws LlmopsError `invalid_input` naming `field`.
 */
export function checkVersion(version: number, field = 'version'): void {
  if (!Number.isSafeInteger(version) || version < 1)
    fail(`${field} is ${String(version)}; expected a whole number from 1 upwards`);
}

/**
 * Checks a relative artifact path: no leading `/`, no `.` or `..` or empty segments, no backslashes.
 * @throws LlmopsError `invalid_input` naming `field`.
 */
export function checkArtifactPath(path: string, options: { field: string; allowEmpty: boolean }): void {
  if (typeof path !== 'string') fail(`${options.field} is ${typeof path}; expected a relative path`);
  if (path === '') {
    if (options.allowEmpty) return;
    fail(`${options.field} is empty; expected a relative path like "reports/summary.json"`);
  }
  if (path.includes('\\')) fail(`${options.field} ${quote(path)} contains "\\"; use "/" between folders`);
  if (path.startsWith('/'))
    fail(`${options.field} ${quote(path)} starts with "/"; expected a path relative to the artifact root`);
  const segments = path.replace(/\/$/, '').split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    fail(`${options.field} ${quote(path)} has an empty, "." or ".." segment`);
  }
}

/**
 * Checks a timestamp in milliseconds since the epoch: a non-negative whole number.
 * @throws LlmopsError `invalid_input` naming `field`.
 */
export function checkTimestamp(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    fail(`${field} is ${String(value)}; expected milliseconds since the epoch (a whole number >= 0)`);
}

/**
 * Checks a tags record against a key rule and value limit.
 * @throws LlmopsError `invalid_input` naming the tag.
 */
export function checkTags(
  tags: Record<string, string> | undefined,
  options: { field: string; keyLength: number; valueLength: number },
): void {
  if (tags === undefined) return;
  for (const [key, value] of Object.entries(tags)) {
    const where = `${options.field}[${JSON.stringify(key)}]`;
    if (key.length === 0) fail(`${options.field} has an empty key`);
    if (key.length > options.keyLength)
      fail(`${where} key is ${key.length} characters long; MLflow allows at most ${options.keyLength}`);
    if (!entityKeyPattern.test(key) || isNotUniquePath(key)) {
      fail(
        `${where} key has characters MLflow rejects or is not a normalised path; expected letters, digits, _ - . / : and spaces`,
      );
    }
    checkLength(value, { field: `${where} value`, maximum: options.valueLength });
  }
}
