import {
  assertAliasName,
  assertDirectlySettableAlias,
  assertSubjectName,
  assertValidTags,
  previousAliasOf,
} from './registry-names.js';

describe('registry names', () => {
  it('accepts names and aliases MLflow accepts', () => {
    expect(assertSubjectName('support-rag.v2_final', 'model')).toBe('support-rag.v2_final');
    expect(assertAliasName('champion')).toBe('champion');
    expect(assertAliasName('canary-2_eu')).toBe('canary-2_eu');
    expect(previousAliasOf('champion')).toBe('previous-champion');
  });

  it('refuses what MLflow would refuse, saying why', () => {
    expect(() => assertSubjectName('support rag', 'prompt')).toThrow(
      'prompt name "support rag" has characters outside A-Z a-z 0-9 _ . -',
    );
    expect(() => assertAliasName('')).toThrow('alias is empty');
    expect(() => assertAliasName('my.alias')).toThrow(
      'alias "my.alias" has a "."; aliases are made of A-Z a-z 0-9 _ -',
    );
    expect(() => assertAliasName('Latest')).toThrow('alias "latest" is implicit');
    expect(() => assertAliasName('V12')).toThrow('alias "V12" looks like a version number');
    expect(() => assertAliasName('a'.repeat(65))).toThrow('is longer than 64 characters');
  });

  it.each(['..', '-1', 'null', '42', 'x'.repeat(65)])(
    'refuses %s as a prompt, model and alias name (the kernel rule)',
    (name) => {
      expect(() => assertSubjectName(name, 'prompt')).toThrow(/^prompt name .* expected 1 to 64 characters/);
      expect(() => assertSubjectName(name, 'model')).toThrow(/^model name /);
      expect(() => assertAliasName(name)).toThrow(/^alias /);
    },
  );

  it('keeps previous-* aliases, and a model champion, out of direct alias moves', () => {
    expect(() => assertDirectlySettableAlias('previous-champion', 'prompt')).toThrow(
      'is kept by promotion and rollback',
    );
    expect(() => assertDirectlySettableAlias('champion', 'model')).toThrow('moves only through a gated promotion');
    expect(assertDirectlySettableAlias('champion', 'prompt')).toBe('champion');
    expect(assertDirectlySettableAlias('challenger', 'model')).toBe('challenger');
  });

  it('checks tags', () => {
    expect(assertValidTags({ team: 'support', 'owner/email': 'a@b.c' })).toEqual({
      team: 'support',
      'owner/email': 'a@b.c',
    });
    expect(() => assertValidTags({ 'llmops.spec': 'x' })).toThrow(
      'tags: key "llmops.spec" starts with a prefix the registry reserves',
    );
    expect(() => assertValidTags({ 'bad*key': 'x' })).toThrow('tags: key "bad*key" must be 1-250 characters');
    expect(() => assertValidTags({ big: 'x'.repeat(5001) })).toThrow(
      'tags.big: value must be a string of at most 5000 characters',
    );
  });
});
