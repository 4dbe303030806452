import { evaluateArithmetic, formatNumber } from './calculator.js';

describe('evaluateArithmetic', () => {
  it('follows precedence, associativity, parentheses, functions and constants', () => {
    expect(evaluateArithmetic('2 + 3 * 4')).toBe(14);
    expect(evaluateArithmetic('(2 + 3) * 4')).toBe(20);
    expect(evaluateArithmetic('2 ^ 3 ^ 2')).toBe(512);
    expect(evaluateArithmetic('-2 ^ 2')).toBe(-4);
    expect(evaluateArithmetic('10 - 4 - 3')).toBe(3);
    expect(evaluateArithmetic('100 / 8 % 5')).toBe(2.5);
    expect(evaluateArithmetic('12 × 3 ÷ 4')).toBe(9);
    expect(evaluateArithmetic('max(1, 7, 3) + min(4, 2) + sqrt(16) + abs(-1)')).toBe(14);
    expect(evaluateArithmetic('round(pi * 100) / 100')).toBe(3.14);
    expect(evaluateArithmetic('1.5e3 + .5')).toBe(1500.5);
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(-0)).toBe('0');
  });

  it('refuses anything that is not arithmetic, naming what is wrong', () => {
    expect(() => evaluateArithmetic('process.exit(1)')).toThrow('calculator: unexpected character "."');
    expect(() => evaluateArithmetic('constructor(1)')).toThrow('unknown name "constructor"');
    expect(() => evaluateArithmetic('1 / 0')).toThrow('division by zero');
    expect(() => evaluateArithmetic('2 +')).toThrow('the expression ends too early');
    expect(() => evaluateArithmetic('(1 + 2')).toThrow('expected ")"');
    expect(() => evaluateArithmetic('sqrt(1, 2)')).toThrow('sqrt takes 1 arguments');
    expect(() => evaluateArithmetic('10 ^ 400')).toThrow('not a finite number');
    expect(() => evaluateArithmetic('')).toThrow('no expression');
    expect(() => evaluateArithmetic('('.repeat(60) + '1' + ')'.repeat(60))).toThrow('nesting deeper than 50');
    expect(() => evaluateArithmetic('1+'.repeat(300) + '1')).toThrow('longer than 500 characters');
  });
});
