import fc from 'fast-check';
import { stringify } from 'yaml';
import { z } from 'zod';
import { LlmopsError } from '../errors/llmops-error.js';
import { loadConfig, loadConfigDocument } from './config-loader.js';

/**
 * Key names of confs, with ones that name members of JavaScript objects (`__proto__` and `constructor.prototype` are
 * refused, tested apart).
 */
const key = fc.oneof(
  fc.stringMatching(/^[a-z][a-zA-Z0-9_-]{0,8}$/),
  fc.constantFrom('constructor', 'toString', 'hasOwnProperty', 'valueOf'),
);
/** Scalars as YAML writes them back unchanged (no `${env:…}`, which the loader expands). */
const scalar = fc.oneof(
  fc.string({ maxLength: 20 }).filter((text) => !text.includes('${')),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((value) => !Object.is(value, -0)),
  fc.boolean(),
  fc.constant(null),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('tree'), { maxLength: 3 }),
    fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
  ),
}));
const conf = fc.dictionary(key, tree, { minKeys: 1, maxKeys: 4 });

/** Loads YAML texts as files named `a.yaml`, `b.yaml`…, with overrides. */
function load(texts: readonly string[], overrides: readonly string[] = []) {
  const files = texts.map((_, index) => `${String.fromCharCode(97 + index)}.yaml`);
  return loadConfigDocument({
    files,
    overrides,
    env: {},
    readFile: (path) => texts[files.indexOf(path)] as string,
  });
}

/** Object.prototype must come out of every load as it went in. */
function assertPrototypeUntouched(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
}
const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();

describe('loadConfigDocument properties (fast-check)', () => {
  afterEach(assertPrototypeUntouched);

  it('reads back any conf YAML writes, keys such as __proto__ and constructor included, as own keys', () => {
    fc.assert(
      fc.property(conf, (value) => {
        const loaded = load([stringify(value)]).value;
        expect(JSON.stringify(loaded)).toBe(JSON.stringify(value));
        assertPrototypeUntouched();
      }),
      { numRuns: 200 },
    );
  });

  it('lets a later file win at the keys it sets and keeps the earlier values elsewhere', () => {
    fc.assert(
      fc.property(conf, conf, (first, second) => {
        const merged = load([stringify(first), stringify(second)]).value;
        for (const [name, value] of Object.entries(second)) {
          const kept = Object.getOwnPropertyDescriptor(merged, name)?.value as unknown;
          const earlier = Object.getOwnPropertyDescriptor(first, name)?.value as unknown;
          const bothMappings = [value, earlier].every(
            (item) => item !== null && typeof item === 'object' && !Array.isArray(item),
          );
          if (!bothMappings) expect(JSON.stringify(kept)).toBe(JSON.stringify(value));
        }
        for (const name of Object.keys(first).filter((item) => !Object.hasOwn(second, item)))
          expect(JSON.stringify(Object.getOwnPropertyDescriptor(merged, name)?.value)).toBe(
            JSON.stringify(Object.getOwnPropertyDescriptor(first, name)?.value),
          );
        assertPrototypeUntouched();
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a __proto__ key at any depth of a file, naming the file, its line and the key path', () => {
    fc.assert(
      fc.property(conf, fc.array(key, { maxLength: 3 }), (base, names) => {
        const poisoned: Record<string, unknown> = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
        let node = poisoned;
        for (const name of names) {
          const next = JSON.parse('{}') as Record<string, unknown>;
          Object.defineProperty(node, name, { value: next, enumerable: true, writable: true, configurable: true });
          node = next;
        }
        Object.defineProperty(node, '__proto__', {
          value: { polluted: true },
          enumerable: true,
          writable: true,
          configurable: true,
        });
        const text = stringify(poisoned);
        const line = text.split('\n').findIndex((row) => row.trimStart().startsWith('__proto__:')) + 1;
        expect(() => load([text])).toThrow(
          `a.yaml:${line}: ${[...names, '__proto__'].join('.')}: the key "__proto__" is refused`,
        );
        assertPrototypeUntouched();
      }),
      { numRuns: 300 },
    );
  });

  it('sets an -e override at its own key path, whatever the names, and refuses one through __proto__', () => {
    const path = fc.array(fc.oneof(key, fc.constant('__proto__')), { minLength: 1, maxLength: 4 });
    const value = fc.oneof(fc.stringMatching(/^[a-z]{1,6}$/), fc.integer().map(String));
    fc.assert(
      fc.property(conf, path, value, (base, names, text) => {
        const override = `${names.join('.')}=${text}`;
        if (names.includes('__proto__')) {
          expect(() => load([stringify(base)], [override])).toThrow(
            `override "${override}": the key "__proto__" is refused`,
          );
          assertPrototypeUntouched();
          return;
        }
        const loaded = load([stringify(base)], [override]).value;
        let node: unknown = loaded;
        for (const name of names) {
          expect(Object.hasOwn(node as object, name)).toBe(true);
          node = (node as Record<string, unknown>)[name];
        }
        expect(String(node)).toBe(text);
        assertPrototypeUntouched();
      }),
      { numRuns: 500 },
    );
  });

  it('answers any text with a document or invalid_input naming the file, never another error', () => {
    const schema = z.strictObject({
      job: z.strictObject({ kind: z.literal('doctor'), checkStore: z.boolean().optional() }),
    });
    const text = fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.string({
        unit: fc.constantFrom(
          'job',
          ':',
          ' ',
          '\n',
          '  ',
          '- ',
          '[',
          '{',
          '"',
          '${env:X}',
          '&a',
          '*a',
          '*b',
          '!!',
          '<<',
        ),
        maxLength: 40,
      }),
      conf.map((value) => stringify(value)),
    );
    fc.assert(
      fc.property(text, (content) => {
        try {
          loadConfig({ files: ['a.yaml'], schema, env: {}, readFile: () => content });
        } catch (error) {
          expect(LlmopsError.isInstance(error) && error.code).toBe('invalid_input');
          expect((error as Error).message).toMatch(/(^|\n)(a\.yaml|config file a\.yaml)/);
        }
        assertPrototypeUntouched();
      }),
      { numRuns: 500 },
    );
  });
});
