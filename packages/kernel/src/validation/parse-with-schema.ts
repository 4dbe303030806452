import type { z } from 'zod';
import { LlmopsError } from '../errors/llmops-error.js';
import type { ErrorCode } from '../errors/llmops-error.js';
import { forbiddenKeyPath } from './forbidden-keys.js';

/** How the root of a value is named in an issue path. */
export const topLevelPath = '(top level)';

/** One problem found by a schema, as llmops reports it: where in the value, what was expected, zod's code. */
export interface SchemaIssue {
  /** The key path, `a.b[2].c`, or `(top level)` for the value itself. */
  path: string;
  message: string;
  /** zod's issue code (`invalid_type`, `too_small`, `custom`…). */
  code: string;
}

/** Formats a zod issue path as `a.b[2].c`; the root (an empty path) is `(top level)`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  const text = path.reduce<string>((joined, key) => {
    if (typeof key === 'number') return `${joined}[${key}]`;
    return joined ? `${joined}.${String(key)}` : String(key);
  }, '');
  return text || topLevelPath;
}

/**
 * The issues of a zod error in llmops' one format. One unknown key is reported at the key itself
 * (`tags.colour: Unrecognized key: "colour"`), not at its parent as zod does.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): SchemaIssue[] {
  return issues.map((issue) => {
    const union = issue.code === 'invalid_union' ? closestUnionIssue(issue) : undefined;
    if (union) return union;
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = keys.length === 1 ? [...issue.path, keys[0] as string] : issue.path;
    return { path: formatIssuePath(path), message: issue.message, code: issue.code };
  });
}

/**
 * zod says only "Invalid input" when no option of a union matches. What the user needs is what was expected: the
 * types the options take when the value has none of them (`expected string or array, received null`), else the first
 * issue of the option that came closest (the fewest issues), at its full path. A union with its own error message
 * keeps it.
 */
function closestUnionIssue(issue: z.core.$ZodIssueInvalidUnion): SchemaIssue | undefined {
  // A union the schema gave its own message already says what it expects.
  if (issue.message !== 'Invalid input') return undefined;
  const options = issue.errors.filter((option) => option.length > 0);
  if (options.length === 0) return undefined;
  const typeMismatches = options.map((option) =>
    option.find((inner) => inner.code === 'invalid_type' && inner.path.length === 0),
  );
  if (typeMismatches.every((inner) => inner !== undefined)) {
    const expected = [...new Set(typeMismatches.map((inner) => (inner as z.core.$ZodIssueInvalidType).expected))];
    const received = /received (\w+)/.exec(typeMismatches[0]?.message ?? '')?.[1];
    return {
      path: formatIssuePath(issue.path),
      message: `Invalid input: expected ${expected.join(' or ')}${received ? `, received ${received}` : ''}`,
      code: issue.code,
    };
  }
  const discriminator = discriminatorMismatch(options);
  if (discriminator.values) {
    return {
      path: formatIssuePath([...issue.path, ...discriminator.path]),
      message: `Invalid option: expected one of ${discriminator.values.map((value) => JSON.stringify(value)).join('|')}`,
      code: issue.code,
    };
  }
  // The options the discriminator chose (a `tool` message's), when it chose some: their issue is the one to fix.
  const candidates = options.filter((_, index) => typeMismatches[index] === undefined);
  const chosen = options.filter((_, index) => typeMismatches[index] === undefined && !discriminator.refused[index]);
  const closest = (chosen.length > 0 ? chosen : candidates).reduce((best, option) =>
    option.length < best.length ? option : best,
  );
  const [first] = describeIssues(closest.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })));
  return first;
}

/**
 * When every option of a union refuses the value of one same key (a message's `role`), that key is the union's
 * discriminator and the answer is every value the options take there, not the first option's alone (which read
 * `expected one of "system"|"developer"` for a role that `user`, `assistant` and `tool` also fill).
 */
function discriminatorMismatch(options: readonly (readonly z.core.$ZodIssue[])[]): {
  path: PropertyKey[];
  /** Every value the options take at `path`, when every option refused the value there. */
  values?: unknown[];
  /** Per option: whether it refused the value at `path` (an option of another kind), when some did not. */
  refused: boolean[];
} {
  const mismatches = options.map((option) =>
    option.filter((inner): inner is z.core.$ZodIssueInvalidValue => inner.code === 'invalid_value'),
  );
  const first = mismatches.flat()[0];
  if (!first) return { path: [], refused: options.map(() => false) };
  const samePath = (inner: z.core.$ZodIssueInvalidValue) =>
    inner.path.length === first.path.length && inner.path.every((key, index) => key === first.path[index]);
  const atKey = mismatches.map((option) => option.find(samePath));
  if (atKey.some((inner) => inner === undefined))
    return { path: [...first.path], refused: atKey.map((inner) => inner !== undefined) };
  const values = [...new Set(atKey.flatMap((inner) => (inner as z.core.$ZodIssueInvalidValue).values))];
  return { path: [...first.path], values, refused: options.map(() => false) };
}

/** Joins issues as `path: message; path: message`. */
export function formatIssues(issues: readonly SchemaIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
}

/** Options of {@link parseWithSchema}. */
export interface ParseWithSchemaOptions {
  /** What was parsed and where it came from, first in the message: `model spec confs/models/x.yaml`, `request body`. */
  where: string;
  /** The error code; `invalid_input` (bad input from a user) by default, `upstream_error` for a bad wire response. */
  code?: ErrorCode;
  /** Overrides the code's default retryability (a malformed wire response stays malformed on retry). */
  retryable?: boolean;
}

/** The outcome of {@link safeParseWithSchema}: the parsed value, or the error {@link parseWithSchema} would throw. */
export type SchemaParseResult<Output> = { success: true; data: Output } | { success: false; error: LlmopsError };

/**
 * Parses a value with a schema without throwing: the parsed value, or an `LlmopsError` whose message
 * is `<where>: <path>: <message>; …` and whose `details` are the {@link SchemaIssue}s. A value holding a `__proto__`
 * key (or a `constructor.prototype`) is refused naming its path, as zod would drop the key silently.
 */
export function safeParseWithSchema<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  options: ParseWithSchemaOptions,
): SchemaParseResult<z.output<Schema>> {
  const forbidden = forbiddenKeyPath(value);
  if (forbidden !== undefined) {
    const key = forbidden.endsWith('__proto__') ? '__proto__' : 'constructor';
    const details: SchemaIssue[] = [
      {
        path: forbidden,
        message: `the key "${key}" is refused (it could change object prototypes); remove or rename it`,
        code: 'custom',
      },
    ];
    return {
      success: false,
      error: new LlmopsError(options.code ?? 'invalid_input', `${options.where}: ${formatIssues(details)}`, {
        details,
        ...(options.retryable === undefined ? {} : { retryable: options.retryable }),
      }),
    };
  }
  const result = schema.safeParse(value);
  if (result.success) return { success: true, data: result.data };
  const details = describeIssues(result.error.issues);
  const error = new LlmopsError(options.code ?? 'invalid_input', `${options.where}: ${formatIssues(details)}`, {
    details,
    ...(options.retryable === undefined ? {} : { retryable: options.retryable }),
  });
  return { success: false, error };
}

/**
 * Parses a value with a schema: the one way llmops turns zod issues into an error.
 * @throws LlmopsError `invalid_input` (or `options.code`) with the message `<where>: <path>: <message>; …`
 * (paths as `a.b[2].c`, `(top level)` for the root) and the issues in `details`.
 */
export function parseWithSchema<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  options: ParseWithSchemaOptions,
): z.output<Schema> {
  const result = safeParseWithSchema(schema, value, options);
  if (!result.success) throw result.error;
  return result.data;
}
