import { LlmopsError } from '@llmops/kernel';
import { assertPlaceholdersClosed, renderPrompt, templateVariables } from './prompt-template.js';

describe('templateVariables', () => {
  it('lists variables in order of first use, with or without spaces inside the braces', () => {
    expect(templateVariables('{{question}} from {{ context }}; again {{question}}')).toEqual(['question', 'context']);
    expect(
      templateVariables([
        { role: 'system', content: 'Use {{context}}.' },
        { role: 'user', content: '{{question}} ({{context}})' },
      ]),
    ).toEqual(['context', 'question']);
    expect(templateVariables('no variables here, not even { single } braces')).toEqual([]);
  });

  it('refuses a placeholder that is not a variable name, saying where it is', () => {
    expect(() => templateVariables('Hi {{ first name }}')).toThrow(
      'template: placeholder "{{ first name }}" is not a variable',
    );
    expect(() =>
      templateVariables([
        { role: 'user', content: 'ok' },
        { role: 'assistant', content: '{{1st}}' },
      ]),
    ).toThrow('template[1] (assistant): placeholder "{{1st}}" is not a variable');
    expect(() => templateVariables('{{}}')).toThrow(/placeholder "\{\{\}\}"/);
  });

  it('refuses a template longer than MLflow can keep', () => {
    expect(() => templateVariables('x'.repeat(100_001))).toThrow(
      'template is 100001 characters long; at most 100000 are allowed',
    );
  });
});

describe('assertPlaceholdersClosed', () => {
  it('refuses a {{ that no }} closes, naming line and column, so the variable is not sent to the model as text', () => {
    expect(() => assertPlaceholdersClosed('Hello {{name}')).toThrow(
      'template: line 1, column 7: "{{name}" opens a placeholder that no "}}" closes; expected {{name}}',
    );
    expect(() =>
      assertPlaceholdersClosed([
        { role: 'system', content: 'ok {{context}}' },
        { role: 'user', content: 'Q:\n  {{question' },
      ]),
    ).toThrow('template[1] (user): line 2, column 3: "{{question" opens a placeholder');
  });

  it('accepts closed placeholders, single braces and JSON that ends in }}', () => {
    for (const template of ['{{a}} and {{ b }}', 'JSON: {"a": {"b": 1}}', 'set { x }']) {
      expect(() => assertPlaceholdersClosed(template)).not.toThrow();
    }
  });
});

describe('renderPrompt', () => {
  it('fills every placeholder of a text template', () => {
    const rendered = renderPrompt('Q: {{question}}\nC: {{ context }}\nQ again: {{question}}', {
      question: 'Why?',
      context: 'Because.',
    });
    expect(rendered).toEqual({ output: 'Q: Why?\nC: Because.\nQ again: Why?', unusedVariables: [] });
  });

  it('fills chat messages and keeps their roles', () => {
    const rendered = renderPrompt(
      [
        { role: 'system', content: 'Answer in {{language}}.' },
        { role: 'user', content: '{{question}}' },
      ],
      { language: 'French', question: 'Où ?', k: 3 },
    );
    expect(rendered.output).toEqual([
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: 'Où ?' },
    ]);
    expect(rendered.unusedVariables).toEqual(['k']);
  });

  it('does not expand placeholders that appear in the values', () => {
    expect(renderPrompt('{{a}} {{b}}', { a: '{{b}}', b: 'x' }).output).toBe('{{b}} x');
  });

  it('names each missing variable, and the unused ones that may be typos of them', () => {
    let caught: unknown;
    try {
      renderPrompt('{{question}} {{context}}', { qestion: 'typo' });
    } catch (error) {
      caught = error;
    }
    expect(LlmopsError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({
      code: 'invalid_input',
      message:
        'prompt variables "question", "context" have no value; the template uses question, context; given but unused: qestion',
      details: { missing: ['question', 'context'], unused: ['qestion'] },
    });
    expect(() => renderPrompt('{{one}}', {})).toThrow('prompt variable "one" has no value; the template uses one');
  });
});
