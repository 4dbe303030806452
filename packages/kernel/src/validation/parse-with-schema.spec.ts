import { z } from 'zod';
import { LlmopsError } from '../errors/llmops-error.js';
import { formatIssuePath, parseWithSchema, safeParseWithSchema } from './parse-with-schema.js';

const schema = z.strictObject({ a: z.object({ b: z.array(z.object({ c: z.number() })) }), d: z.string().optional() });

describe('parseWithSchema', () => {
  it('returns the parsed value', () => {
    expect(parseWithSchema(schema, { a: { b: [{ c: 1 }] } }, { where: 'x' })).toEqual({ a: { b: [{ c: 1 }] } });
  });

  it('throws invalid_input naming where, each path as a.b[2].c, and the issues in details', () => {
    let error: unknown;
    try {
      parseWithSchema(schema, { a: { b: [{ c: 1 }, { c: 'two' }] }, e: 1 }, { where: 'request body' });
    } catch (caught) {
      error = caught;
    }
    expect(LlmopsError.isInstance(error)).toBe(true);
    const llmops = error as LlmopsError;
    expect(llmops.code).toBe('invalid_input');
    expect(llmops.message).toBe(
      'request body: a.b[1].c: Invalid input: expected number, received string; e: Unrecognized key: "e"',
    );
    expect(llmops.details).toEqual([
      { path: 'a.b[1].c', message: 'Invalid input: expected number, received string', code: 'invalid_type' },
      { path: 'e', message: 'Unrecognized key: "e"', code: 'unrecognized_keys' },
    ]);
  });

  it('takes another code for bad input that is not the user’s (a wire response)', () => {
    const result = safeParseWithSchema(z.number(), 'x', { where: 'response', code: 'upstream_error' });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.code).toBe('upstream_error');
    expect(safeParseWithSchema(z.number(), 3, { where: 'response' })).toEqual({ success: true, data: 3 });
  });
});

describe('issues of unions', () => {
  const union = z.strictObject({
    input: z.union([z.string(), z.array(z.string())]),
    message: z
      .union([
        z.strictObject({ role: z.literal('user'), content: z.string() }),
        z.strictObject({ role: z.literal('tool'), id: z.string() }),
      ])
      .optional(),
  });

  it('say which types the options take when the value has none of them, and what it is', () => {
    expect(() => parseWithSchema(union, { input: null }, { where: 'body' })).toThrow(
      'body: input: Invalid input: expected string or array, received null',
    );
    expect(() => parseWithSchema(union, {}, { where: 'body' })).toThrow(
      'body: input: Invalid input: expected string or array, received undefined',
    );
  });

  it('give the first issue of the closest option, at its full path', () => {
    expect(() =>
      parseWithSchema(union, { input: 'q', message: { role: 'user', content: 3 } }, { where: 'body' }),
    ).toThrow('body: message.content: Invalid input: expected string, received number');
  });

  // A new user's wrong role was answered 'expected one of "system"|"developer"' (the first option's values alone), and
  // a tool message without its tool_call_id was told its role was wrong (2026-12-01 walkthrough).
  it('name every value of the key all options refused (the role), not the first option’s alone', () => {
    const messages = z.union([
      z.looseObject({ role: z.enum(['system', 'developer']), content: z.string() }),
      z.looseObject({ role: z.literal('user'), content: z.string() }),
      z.looseObject({ role: z.literal('tool'), content: z.string(), tool_call_id: z.string() }),
    ]);
    expect(() => parseWithSchema(messages, { role: 'robot', content: 'hi' }, { where: 'body' })).toThrow(
      'body: role: Invalid option: expected one of "system"|"developer"|"user"|"tool"',
    );
    expect(() => parseWithSchema(messages, { content: 'hi' }, { where: 'body' })).toThrow(
      'body: role: Invalid option: expected one of "system"|"developer"|"user"|"tool"',
    );
  });

  it('give the issue of the option the key chose, not of an option that refused the key', () => {
    const messages = z.union([
      z.looseObject({ role: z.enum(['system', 'developer']), content: z.string() }),
      z.looseObject({ role: z.literal('tool'), content: z.string(), tool_call_id: z.string() }),
    ]);
    expect(() => parseWithSchema(messages, { role: 'tool', content: 'x' }, { where: 'body' })).toThrow(
      'body: tool_call_id: Invalid input: expected string, received undefined',
    );
  });
});

describe('keys that could change prototypes', () => {
  const loose = z.object({ metadata: z.record(z.string(), z.unknown()).optional() });

  it('refuses a __proto__ key zod would drop, naming its path, even where the schema accepts any key', () => {
    const value = JSON.parse('{"metadata": {"tags": [{"__proto__": {"admin": true}}]}}') as unknown;
    expect(() => parseWithSchema(loose, value, { where: 'set.jsonl:3' })).toThrow(
      'set.jsonl:3: metadata.tags[0].__proto__: the key "__proto__" is refused (it could change object prototypes); remove or rename it',
    );
    expect(() => parseWithSchema(loose, JSON.parse('{"__proto__": 1}'), { where: 'body' })).toThrow(
      'body: __proto__: the key "__proto__" is refused',
    );
  });

  it('refuses constructor.prototype, and keeps ordinary keys named constructor or toString', () => {
    expect(() =>
      parseWithSchema(loose, { metadata: { constructor: { prototype: { x: 1 } } } }, { where: 'conf' }),
    ).toThrow('conf: metadata.constructor.prototype: the key "constructor" is refused');
    expect(parseWithSchema(loose, { metadata: { constructor: 'a', toString: 'b' } }, { where: 'conf' })).toEqual({
      metadata: { constructor: 'a', toString: 'b' },
    });
  });
});

describe('formatIssuePath', () => {
  it('writes keys with dots, indexes in brackets, and the root as (top level)', () => {
    expect(formatIssuePath(['a', 'b', 2, 'c'])).toBe('a.b[2].c');
    expect(formatIssuePath([0, 'x'])).toBe('[0].x');
    expect(formatIssuePath([])).toBe('(top level)');
  });
});
