import { InMemoryRunTracker } from '../testing/in-memory-run-tracker.js';
import { runQueriesConformanceCases } from '../testing/run-queries-conformance.js';
import { TrackerRunQueries } from './tracker-run-queries.js';

const tracker = new InMemoryRunTracker();
const store = { tracker, queries: new TrackerRunQueries(tracker) };
let counter = 0;

describe('TrackerRunQueries over a tracker, in memory (conformance)', () => {
  for (const testCase of runQueriesConformanceCases(() => store, { unique: (base) => `${base}-${(counter += 1)}` }))
    it(testCase.name, testCase.run);
});
