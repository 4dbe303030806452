import type { InferenceInputLine } from './inference-input-line.js';
import type { InferenceRecord } from './inference-record.js';
import { planInference } from './inference-plan.js';

const files = { input: 'in.jsonl', output: 'out.jsonl' };

function line(id: string, number: number): InferenceInputLine {
  return { id, line: number, inputSha256: `hash-${id}`, request: { messages: [{ role: 'user', content: id }] } };
}

function recorded(id: string, options: { failed?: boolean; hash?: string } = {}): [string, InferenceRecord] {
  return [
    id,
    {
      id,
      line: 1,
      input_sha256: options.hash ?? `hash-${id}`,
      model: 'm',
      answer: options.failed ? null : 'yes',
      usage: null,
      latency_ms: 0,
      ...(options.failed ? { error: { code: 'upstream_error', message: '503' } } : {}),
    },
  ];
}

describe('planInference', () => {
  const lines = [line('a', 1), line('b', 2), line('c', 3)];

  it('answers every line of a fresh run', () => {
    const plan = planInference({ lines, records: new Map(), retryFailed: false, files });
    expect([plan.pending.map((each) => each.id), plan.skipped]).toEqual([['a', 'b', 'c'], 0]);
  });

  it('skips answered lines and, unless retried, failed ones', () => {
    const records = new Map([recorded('a'), recorded('b', { failed: true })]);
    const kept = planInference({ lines, records, retryFailed: false, files });
    expect([kept.pending.map((each) => each.id), kept.skipped, kept.skippedFailed]).toEqual([['c'], 2, 1]);
    const retried = planInference({ lines, records, retryFailed: true, files });
    expect([retried.pending.map((each) => each.id), retried.skipped, retried.skippedFailed]).toEqual([
      ['b', 'c'],
      1,
      0,
    ]);
  });

  it('refuses to reuse or duplicate the answer of an id whose text changed', () => {
    const records = new Map([recorded('b', { hash: 'hash-of-the-old-text' })]);
    expect(() => planInference({ lines, records, retryFailed: false, files })).toThrow(
      'in.jsonl line 2: id "b" was answered in out.jsonl (line 1) for a different text',
    );
  });
});
