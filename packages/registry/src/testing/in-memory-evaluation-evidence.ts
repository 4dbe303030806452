import type { EvaluationRecord } from '../domain/evaluation-record.js';
import type { EvaluationEvidence, EvidenceQuery } from '../ports.js';

/**
 * A fake {@link EvaluationEvidence} for tests: evaluations are recorded by hand, and the latest one
 * (by `completedAt`) of a model version on a dataset is what promotion sees.
 */
export class InMemoryEvaluationEvidence implements EvaluationEvidence {
  private readonly records: Array<{ model: string; version: number; record: EvaluationRecord }> = [];

  /** Records an evaluation of `model/version`. Returns this, for chaining. */
  record(subject: { model: string; version: number }, record: EvaluationRecord): this {
    this.records.push({ model: subject.model, version: subject.version, record });
    return this;
  }

  async latestEvaluation(query: EvidenceQuery): Promise<EvaluationRecord | undefined> {
    return this.records
      .filter(
        (entry) =>
          entry.model === query.model && entry.version === query.version && entry.record.dataset === query.dataset,
      )
      .map((entry) => entry.record)
      .sort((left, right) => right.completedAt - left.completedAt)[0];
  }
}
