import { describe, expect, it } from '@jest/globals';
import { verifyRegistry } from './verify-registry.js';

// Slow (minutes, mostly npm install through Verdaccio's uplink): the integration target, not `test`.
describe('every package from a registry', () => {
  it('publishes to a local Verdaccio, installs alone, runs its README example on Node 24 and type-checks it', async () => {
    const verdicts = await verifyRegistry();
    expect(verdicts.length).toBe(9);
    for (const verdict of verdicts) {
      expect({
        name: verdict.name,
        installed: verdict.installed,
        exampleRan: verdict.exampleRan,
        typechecked: verdict.typechecked,
        output: verdict.installed && verdict.exampleRan && verdict.typechecked ? '' : verdict.output,
      }).toEqual({
        name: verdict.name,
        installed: true,
        exampleRan: true,
        typechecked: true,
        output: '',
      });
    }
  });
});
