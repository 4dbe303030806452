import { metricCatalog, metricList, metricNames } from './metric-catalog.js';

describe('metric catalog', () => {
  it('derives names and descriptors from the one list, names unique and snake_case', () => {
    expect(metricNames).toEqual(metricList.map((metric) => metric.descriptor.name));
    expect(new Set(metricNames).size).toBe(metricNames.length);
    for (const name of metricNames) {
      expect(name).toMatch(/^[a-z0-9]+(?:_[a-z0-9]+)*$/);
      expect(metricCatalog[name].name).toBe(name);
    }
  });
});
