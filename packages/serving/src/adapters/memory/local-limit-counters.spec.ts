import { limitCountersConformanceSuite } from '../../testing/index.js';
import { LocalLimitCounters } from './local-limit-counters.js';

describe('LocalLimitCounters', () => {
  describe('conformance', () => {
    for (const conformanceCase of limitCountersConformanceSuite(() => new LocalLimitCounters())) {
      it(conformanceCase.name, conformanceCase.run);
    }
  });
});
