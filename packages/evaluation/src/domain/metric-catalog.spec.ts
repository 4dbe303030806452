import { metricCatalog, metricList, metricNames } from './metric-catalog.js';

describe('metric catalog', () => {
  it('derives names and descriptors from the one list, names unique and snake_case', () => {
    expect(metricNames).toEqual(metricList.map((metric) => metric.descriptor.name));
    expect(new Set(metricNames).size).toBe(metricNames.length);
    for (const name of metricNames) {
      expect(name).toMatch(/^[a-z]+(?:_[a-z]+)*$/);
      expect(metricCatalog[name].name).toBe(name);
    }
  });
});
