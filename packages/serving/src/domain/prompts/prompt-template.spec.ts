import { LlmopsError } from '@llmops/kernel';
import { renderTemplate, templateVariables } from './prompt-template.js';

describe('prompt templates', () => {
  it('lists variables once, in first-use order, and renders them (spaces in braces allowed)', () => {
    const template = 'You help {{ customer }} with {{product}}. Greet {{customer}}.';
    expect(templateVariables(template)).toEqual(['customer', 'product']);
    expect(renderTemplate(template, { customer: 'Ada', product: 'kettles', unused: 'x' })).toBe(
      'You help Ada with kettles. Greet Ada.',
    );
  });

  it('names every missing variable and where', () => {
    let caught: unknown;
    try {
      renderTemplate('{{a}} {{b}} {{c}}', { b: '1' }, 'prompt support/2');
    } catch (error) {
      caught = error;
    }
    expect(LlmopsError.isInstance(caught) && caught.code).toBe('invalid_input');
    expect((caught as Error).message).toBe(
      'prompt support/2 needs the variables "a", "c"; pass them in the request as llmops.variables',
    );
  });

  it('answers the same when a template is read again (its variables are remembered), and a copy each time', () => {
    const template = 'Dear {{name}}, about {{topic}}.';
    const first = templateVariables(template);
    first.push('changed by a caller');
    expect(templateVariables(template)).toEqual(['name', 'topic']);
    expect(renderTemplate(template, { name: 'Ada', topic: 'refunds' })).toBe('Dear Ada, about refunds.');
    expect(renderTemplate(template, { name: 'Bo', topic: 'parcels' })).toBe('Dear Bo, about parcels.');
    expect(() => renderTemplate(template, { name: 'Bo' })).toThrow('needs the variable "topic"');
    expect(renderTemplate('No variables here.', {})).toBe('No variables here.');
  });
});
