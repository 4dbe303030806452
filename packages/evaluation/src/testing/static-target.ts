import type { TargetDescription } from '../domain/evaluation-run.js';
import type { Example } from '../domain/example.js';
import type { Target, TargetCallOptions, TargetOutput } from '../ports.js';

/**
 * A target for tests: answers each example with a function of it (which may throw to simulate a
 * failing system), and counts invocations.
 */
export class StaticTarget implements Target {
  readonly description: TargetDescription;
  /** Examples invoked, in order of invocation. */
  readonly invoked: string[] = [];

  constructor(
    private readonly answer: (example: Example, options: TargetCallOptions) => TargetOutput | Promise<TargetOutput>,
    description: Partial<TargetDescription> = {},
  ) {
    this.description = { kind: 'static', name: 'static target', ...description };
  }

  async invoke(example: Example, options: TargetCallOptions = {}): Promise<TargetOutput> {
    this.invoked.push(example.id);
    return this.answer(example, options);
  }
}
