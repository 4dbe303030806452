import { percentage, pValue, significant } from './human-numbers.js';

describe('numbers for people', () => {
  it('gives a statistic three significant digits in plain decimals, never exponent notation', () => {
    expect(significant(0.31234567)).toBe('0.312');
    expect(significant(0.043219)).toBe('0.0432');
    expect(significant(12.3456)).toBe('12.3');
    expect(significant(123_456.7)).toBe('123,000');
    expect(significant(1)).toBe('1');
    expect(significant(0.5)).toBe('0.5');
    expect(significant(0.0012345, 2)).toBe('0.0012');
  });

  it('says a statistic too close to zero to matter is below a thousandth, and keeps zero as zero', () => {
    expect(significant(0)).toBe('0');
    expect(significant(3.5e-5)).toBe('< 0.001');
    expect(significant(-3.5e-5)).toBe('> \u22120.001');
    expect(significant(-0.25)).toBe('\u22120.25');
  });

  it('prints a p-value as "< 0.001" or with two significant digits', () => {
    expect(pValue(3.5e-5)).toBe('< 0.001');
    expect(pValue(1.3e-10)).toBe('< 0.001');
    expect(pValue(0.001)).toBe('0.001');
    expect(pValue(0.031234)).toBe('0.031');
    expect(pValue(0.5)).toBe('0.5');
    expect(pValue(1)).toBe('1');
  });

  it('prints a ratio as a percentage with three significant digits', () => {
    expect(percentage(0.23666661676243445)).toBe('23.7%');
    expect(percentage(0.05)).toBe('5%');
    expect(percentage(1)).toBe('100%');
    expect(percentage(0)).toBe('0%');
    expect(percentage(0.000_000_2)).toBe('< 0.001%');
  });
});
