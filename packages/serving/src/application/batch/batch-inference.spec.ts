import { LlmopsError } from '@llmops/kernel';
import { parseInferenceInput } from '../../domain/batch/inference-input-line.js';
import { planInference } from '../../domain/batch/inference-plan.js';
import type { InferenceRecord } from '../../domain/batch/inference-record.js';
import { runBatchInference } from './batch-inference.js';
import type { BatchInferenceModel } from './batch-inference.js';

const input = parseInferenceInput(
  Array.from({ length: 10 }, (_, index) => JSON.stringify({ id: `q${index}`, input: `question ${index}` })).join('\n') +
    '\n{"input": \n',
  'questions.jsonl',
);

/** A model that answers every question by echoing it, counting the calls it has in flight at once. */
function echoModel(options: { failOn?: string; onCall?: (text: string) => void } = {}) {
  const asked: string[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const model: BatchInferenceModel = {
    label: 'offline/echo',
    answer: async (request, { signal }) => {
      const text = String(request.messages.at(-1)?.content);
      asked.push(text);
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      try {
        options.onCall?.(text);
        // Yield a few turns so that workers overlap.
        for (let turn = 0; turn < 3; turn += 1) await Promise.resolve();
        if (signal.aborted) throw new LlmopsError('unavailable', 'interrupted');
        if (text === options.failOn) throw new LlmopsError('upstream_error', 'upstream answered 503');
        return {
          model: 'offline/echo',
          answer: `echo: ${text}`,
          usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 },
          cost_usd: 0.5,
          latency_ms: 1,
        };
      } finally {
        inFlight -= 1;
      }
    },
  };
  return { model, asked, mostInFlight: () => mostInFlight };
}

describe('runBatchInference', () => {
  it('answers every line at most `concurrency` at a time, recording answers, failures and malformed lines', async () => {
    const { model, mostInFlight } = echoModel({ failOn: 'question 3' });
    const records: InferenceRecord[] = [];
    const counts = await runBatchInference({
      lines: input,
      model,
      params: {},
      concurrency: 3,
      sink: { append: (record) => records.push(record) },
      signal: new AbortController().signal,
    });
    expect(mostInFlight()).toBe(3);
    expect(records).toHaveLength(11);
    expect(counts).toEqual({ answered: 9, failed: 2, tokens: 45, costUsd: 4.5 });
    expect(records.find((record) => record.id === 'q3')?.error).toEqual({
      code: 'upstream_error',
      message: 'upstream answered 503',
    });
    expect(records.find((record) => record.line === 11)?.error?.message).toMatch(
      /questions\.jsonl line 11: not valid JSON/,
    );
  });

  it('stops starting lines once aborted, records no line it cut short, and a resumed run answers only the rest', async () => {
    const controller = new AbortController();
    const first = echoModel({ onCall: (text) => text === 'question 4' && controller.abort() });
    const kept = new Map<string, InferenceRecord>();
    await runBatchInference({
      lines: input,
      model: first.model,
      params: {},
      concurrency: 2,
      sink: { append: (record) => kept.set(record.id, record) },
      signal: controller.signal,
    });
    expect(first.asked.length).toBeLessThan(11);
    expect(kept.has('q4')).toBe(false);
    const recordedFirst = new Set(kept.keys());
    expect(recordedFirst.size).toBeGreaterThan(0);

    const plan = planInference({
      lines: input,
      records: kept,
      retryFailed: false,
      files: { input: 'questions.jsonl', output: 'answers.jsonl' },
    });
    const second = echoModel();
    await runBatchInference({
      lines: plan.pending,
      model: second.model,
      params: {},
      concurrency: 2,
      sink: { append: (record) => kept.set(record.id, record) },
      signal: new AbortController().signal,
    });
    const idOf = (text: string) => `q${text.split(' ')[1]}`;
    expect(second.asked.map(idOf).filter((id) => recordedFirst.has(id))).toEqual([]);
    expect(second.asked).toContain('question 4');
    expect(kept.size).toBe(11);
    expect(plan.skipped).toBe(recordedFirst.size);
  });
});
