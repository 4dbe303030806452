import { z } from 'zod';

/**
 * Zod pieces shared by the resource APIs. MLflow's JSON leaves out empty lists, empty strings and
 * zero values, and writes int64 fields as numbers (older servers as strings): these schemas accept
 * both and supply the defaults, so the rest of the client can trust the parsed types.
 */

/** An int64 field written as a number or a decimal string; omitted reads as `fallback`. */
export function int64(fallback = 0) {
  return z
    .union([z.number(), z.string().regex(/^-?\d+$/)])
    .optional()
    .transform((value) => (value === undefined ? fallback : Number(value)));
}

/** An optional int64 field that stays undefined when omitted. */
export const optionalInt64 = z
  .union([z.number(), z.string().regex(/^-?\d+$/)])
  .optional()
  .transform((value) => (value === undefined ? undefined : Number(value)));

/** A string field that MLflow omits when empty. */
export const text = z.string().optional().default('');

/** A list of `{key, value}` tags (omitted when empty, a value omitted when empty), read as a record. */
export const tagList = z
  .array(z.object({ key: z.string(), value: z.string().optional().default('') }))
  .optional()
  .default([])
  .transform((tags) => Object.fromEntries(tags.map((tag) => [tag.key, tag.value])) as Record<string, string>);

/** A model version number, written by MLflow as a string (`"3"`). */
export const versionNumber = z.union([z.string().regex(/^\d+$/), z.number().int()]).transform(Number);

/** A double that MLflow writes as a number or, for non-finite values, as `"NaN"`, `"Infinity"` or `"-Infinity"`. */
export const double = z
  // A literal, not z.enum: an enum's declaration emits `[-Infinity]` as a key, invalid in a .d.ts (TS1170).
  .union([z.number(), z.literal(['NaN', 'Infinity', '-Infinity'])])
  .optional()
  .transform((value) => (value === undefined ? 0 : Number(value)));

/** A list field MLflow omits when empty. */
export function list<Item extends z.ZodType>(item: Item) {
  return z.array(item).optional().default([]);
}

/** Converts a tags record to MLflow's `[{key, value}]` list. */
export function toTagList(tags: Record<string, string> | undefined): { key: string; value: string }[] | undefined {
  if (tags === undefined) return undefined;
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

/** Writes a double the way MLflow's JSON parser accepts it (non-finite values as strings). */
export function doubleToWire(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}
