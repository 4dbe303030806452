import fc from 'fast-check';
import { jsonSyntaxProblem } from './json-syntax-problem.js';

function problemOf(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return jsonSyntaxProblem(error);
  }
  throw new Error(`expected ${text} to be invalid JSON`);
}

describe('jsonSyntaxProblem', () => {
  it('describes a JSON syntax error without quoting the text', () => {
    expect(problemOf('root:x:0:0:root:/root:/bin/bash')).toBe('not valid JSON');
    expect(problemOf('{"a": 1')).toMatch(/^not valid JSON/);
    expect(problemOf('{"a" 1}')).toBe('not valid JSON (at character 6)');
    expect(problemOf('')).toBe('not valid JSON (it ends too early)');
  });

  it('never repeats any part of a secret-looking line', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{6,20}:[A-Za-z0-9]{8,30}$/), (line) => {
        const problem = problemOf(line);
        expect(problem).not.toContain(line.slice(0, 6));
        expect(problem).not.toContain(line.split(':')[1] as string);
      }),
    );
  });
});
