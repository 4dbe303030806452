import { alertsConfigSchema, ruleMatches } from './alerts-config.js';
import { signalOfCorpusCheck } from './corpus-signal.js';

const check = { model: 'support-rag', version: 1, location: 'confs/data/kb/' };

describe('signalOfCorpusCheck', () => {
  it('breaches when the recorded and current hashes differ, and a corpus_changed rule selects it', () => {
    const signal = signalOfCorpusCheck({ ...check, recorded: 'sha256:a', current: 'sha256:b' });
    expect(signal).toMatchObject({ source: 'corpus', name: 'corpus_changed', breached: true, model: 'support-rag' });
    expect(ruleMatches({ when: 'corpus_changed' }, signal)).toBe(true);
    expect(ruleMatches({ when: 'drift' }, signal)).toBe(false);
  });

  it('does not breach when nothing changed or a hash is unknown', () => {
    expect(signalOfCorpusCheck({ ...check, recorded: 'sha256:a', current: 'sha256:a' }).breached).toBe(false);
    const unknown = signalOfCorpusCheck({ ...check, recorded: null, current: 'sha256:a', reason: 'none recorded' });
    expect(unknown).toMatchObject({ breached: false, details: { reason: 'none recorded' } });
  });
});

describe('the rebuild action in the alerts section', () => {
  it('is accepted on corpus_changed with a reevaluation section, refused without one', () => {
    const rule = { name: 'corpus-rebuild', when: 'corpus_changed', actions: ['rebuild'] };
    expect(alertsConfigSchema.safeParse({ reevaluation: { dataset: 'qa.jsonl' }, rules: [rule] }).success).toBe(true);
    const refused = alertsConfigSchema.safeParse({ rules: [rule] });
    expect(refused.error?.issues[0]?.message).toContain('a rule that rebuilds needs "reevaluation');
  });
});
