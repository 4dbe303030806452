import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { LlmopsError } from '../errors/llmops-error.js';
import { forbiddenKeyPath } from '../validation/forbidden-keys.js';
import { describeIssues, topLevelPath } from '../validation/parse-with-schema.js';
import { interpolateEnv, parseScalar } from './env-interpolation.js';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions<Schema extends z.ZodType> {
  /** YAML files, merged in order: later files override earlier ones key by key; lists are replaced. */
  files: readonly string[];
  /** `key.path=value` overrides applied after the files; values are read as YAML scalars. */
  overrides?: readonly string[];
  /** Variables for `${env:VAR}`; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** The schema the merged document must satisfy. */
  schema: Schema;
  /** Reads a file; defaults to `fs.readFileSync(path, 'utf8')`. */
  readFile?: (path: string) => string;
}

/** The merged, interpolated document before validation, with where each key came from. */
export interface ConfigDocument {
  value: Record<string, unknown>;
  /** Key path (`a.b[0].c`) → `file:line` or `-e override` that last set it. */
  origins: Map<string, string>;
}

type Origins = Map<string, string>;

function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/** Records, for every key path of a YAML node, the `file:line` where it is written. */
function recordLines(
  node: YamlNode | null | undefined,
  path: string,
  context: { file: string; lines: LineCounter; origins: Origins },
) {
  const children: Array<[string, YamlNode | null | undefined, number | undefined]> = [];
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as YamlNode | null;
      const name = isScalar(key) ? String(key.value) : String(key);
      children.push([joinPath(path, name), pair.value as YamlNode | null, key?.range?.[0]]);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) =>
      children.push([joinPath(path, index), item as YamlNode, (item as YamlNode | null)?.range?.[0]]),
    );
  }
  for (const [childPath, child, offset] of children) {
    if (offset !== undefined) context.origins.set(childPath, `${context.file}:${context.lines.linePos(offset).line}`);
    recordLines(child, childPath, context);
  }
}

function readYamlFile(
  file: string,
  readFile: (path: string) => string,
): { value: Record<string, unknown>; origins: Origins } {
  let text: string;
  try {
    text = readFile(file);
  } catch (cause) {
    // A reader that refuses the file (outside the workspace) has said why; its error is kept, not masked.
    if (LlmopsError.isInstance(cause)) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a directory, expected a YAML file' : 'cannot be read';
    throw new LlmopsError('invalid_input', `config file ${file} ${reason}`, { cause });
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const [firstError] = document.errors;
  if (firstError) {
    const position = lines.linePos(firstError.pos[0]);
    const where = `${file}:${position.line}:${position.col}`;
    const reason = firstError.message.split('\n')[0];
    throw new LlmopsError('invalid_input', `${where}: YAML syntax error: ${reason}`, { cause: firstError });
  }
  let value: unknown;
  try {
    value = document.toJS();
  } catch (cause) {
    // An alias without its anchor (`*a`), or too many aliases: the yaml package throws while building values.
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new LlmopsError('invalid_input', `${file}: YAML error: ${reason}`, { cause });
  }
  if (value === null || value === undefined) return { value: {}, origins: new Map() };
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new LlmopsError(
      'invalid_input',
      `${file}: expected a mapping of keys at the top level, found ${Array.isArray(value) ? 'a list' : typeof value}`,
    );
  }
  const origins: Origins = new Map();
  recordLines(document.contents as YamlNode, '', { file, lines, origins });
  // Merging a `__proto__` key into the document would reach Object.prototype itself: refused, named by its line.
  const forbidden = forbiddenKeyPath(value);
  if (forbidden !== undefined) {
    const key = forbidden.endsWith('__proto__') ? '__proto__' : 'constructor';
    const keyPath = forbidden.slice(0, forbidden.length - (key === '__proto__' ? 0 : '.prototype'.length));
    throw new LlmopsError(
      'invalid_input',
      `${origins.get(keyPath) ?? file}: ${forbidden}: the key "${key}" is refused (it could change object prototypes); remove or rename it`,
    );
  }
  return { value: value as Record<string, unknown>, origins };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Merges `source` into `target` (mutating it): mappings key by key, everything else replaced. */
function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>) {
  for (const [key, value] of Object.entries(source)) {
    // Own keys only: `constructor` or `toString` in a conf are keys, not the object's inherited members.
    const existing = Object.hasOwn(target, key) ? target[key] : undefined;
    if (isPlainObject(existing) && isPlainObject(value)) mergeInto(existing, value);
    else target[key] = value;
  }
}

/**
 * Parses one `key.path=value` override. Keys are dot-separated names; the value is read as a YAML
 * scalar (`3` → number, `true` → boolean, `[a, b]` → list, anything else → string).
 * @throws LlmopsError `invalid_input` when there is no `=` or the key is empty.
 */
export function parseOverride(text: string): { path: string[]; value: unknown } {
  const equals = text.indexOf('=');
  const key = equals >= 0 ? text.slice(0, equals).trim() : '';
  if (equals < 0 || key === '') {
    throw new LlmopsError('invalid_input', `override "${text}" is not of the form key.path=value`);
  }
  const path = key.split('.');
  if (path.some((part) => part === '')) {
    throw new LlmopsError(
      'invalid_input',
      `override "${text}": key path "${key}" has an empty part; expected names separated by dots`,
    );
  }
  if (path.includes('__proto__')) {
    throw new LlmopsError(
      'invalid_input',
      `override "${text}": the key "__proto__" is refused (it could change object prototypes); remove or rename it`,
    );
  }
  return { path, value: parseScalar(text.slice(equals + 1)) };
}

function applyOverride(target: ConfigDocument, override: { path: string[]; value: unknown; text: string }) {
  const origins = target.origins;
  let current = target.value;
  override.path.slice(0, -1).forEach((part) => {
    if (!Object.hasOwn(current, part) || !isPlainObject(current[part])) current[part] = {};
    current = current[part] as Record<string, unknown>;
  });
  current[override.path[override.path.length - 1] as string] = override.value;
  const dotted = override.path.join('.');
  for (const path of [...origins.keys()])
    if (path === dotted || path.startsWith(`${dotted}.`) || path.startsWith(`${dotted}[`)) origins.delete(path);
  origins.set(dotted, `-e ${override.text}`);
}

/**
 * Reads, interpolates and merges YAML config files and overrides, without validating them.
 * @throws LlmopsError `invalid_input` for a missing file, a YAML syntax error (file, line and column),
 * a top level that is not a mapping, a bad override or an unset environment variable.
 */
export function loadConfigDocument(options: Omit<LoadConfigOptions<z.ZodType>, 'schema'>): ConfigDocument {
  const env = options.env ?? process.env;
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  if (options.files.length === 0)
    throw new LlmopsError('invalid_input', 'no config file given; expected at least one YAML file');
  const merged: Record<string, unknown> = {};
  const origins: Origins = new Map();
  for (const file of options.files) {
    const parsed = readYamlFile(file, readFile);
    const interpolated = interpolateEnv(parsed.value, env, { source: file, path: '' }) as Record<string, unknown>;
    mergeInto(merged, interpolated);
    for (const [path, origin] of parsed.origins) origins.set(path, origin);
  }
  for (const text of options.overrides ?? []) {
    const override = parseOverride(text);
    const value = interpolateEnv(override.value, env, { source: `-e ${text}`, path: override.path.join('.') });
    applyOverride({ value: merged, origins }, { path: override.path, value, text });
  }
  return { value: merged, origins };
}

/** The origin of the longest known prefix of `path`, or the last file when none is known. */
function originOf(path: string, origins: Origins, fallback: string): string {
  for (let candidate = path; candidate; candidate = candidate.replace(/(\.[^.[\]]+|\[\d+\])$/, '')) {
    const found = origins.get(candidate);
    if (found) return found;
    if (!/(\.[^.[\]]+|\[\d+\])$/.test(candidate)) break;
  }
  return fallback;
}

/**
 * Where a key of a loaded config comes from: `file:line` of the longest known prefix of `path` (`job.judge.model`),
 * `-e key=value` for an override, or `fallback` (the last file) when no prefix is known. The origin
 * {@link validateConfig} names; jobs use it for errors found after loading (a judge spec checked when it is built).
 */
export function configOriginOf(document: ConfigDocument, path: string, fallback: string): string {
  return originOf(path, document.origins, fallback);
}

/**
 * Validates a value with a schema, turning every issue into a line `origin: key.path: what was expected`.
 * @throws LlmopsError `invalid_input` with one line per issue and the issues in `details`.
 */
export function validateConfig<Schema extends z.ZodType>(
  schema: Schema,
  document: ConfigDocument,
  fallbackOrigin: string,
): z.infer<Schema> {
  const result = schema.safeParse(document.value);
  if (result.success) return result.data;
  const issues = describeIssues(result.error.issues).map((described) => {
    const located = described.path === topLevelPath ? '' : described.path;
    return { origin: originOf(located, document.origins, fallbackOrigin), ...described };
  });
  const lines = issues.map((issue) => `${issue.origin}: ${issue.path}: ${issue.message}`);
  throw new LlmopsError('invalid_input', lines.join('\n'), { details: issues });
}

/**
 * Loads YAML config files merged in order, applies `-e key=value` overrides and `${env:VAR}`
 * interpolation, and validates the result.
 * @throws LlmopsError `invalid_input`, naming the file (and line), the key path and what was expected.
 */
export function loadConfig<Schema extends z.ZodType>(options: LoadConfigOptions<Schema>): z.infer<Schema> {
  const document = loadConfigDocument(options);
  return validateConfig(options.schema, document, options.files[options.files.length - 1] as string);
}
