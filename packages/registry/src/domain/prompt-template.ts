import { LlmopsError } from '@llmops/kernel';
import { z } from 'zod';

/** One message of a chat prompt template. */
export const chatTemplateMessageSchema = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().min(1, 'message content is empty'),
});

/** A message of a chat prompt template: a role and text with `{{variable}}` placeholders. */
export type ChatTemplateMessage = z.infer<typeof chatTemplateMessageSchema>;

/** Longest template (text, or chat messages as JSON); MLflow keeps a prompt's template in one tag of at most 100,000 characters. */
export const maxTemplateLength = 100_000;

/**
 * A prompt template: a text with `{{variable}}` placeholders, or a list of chat messages whose
 * contents have them. The same shapes MLflow's Prompt Registry stores.
 */
export const promptTemplateSchema = z.union([
  z.string().min(1, 'template is empty'),
  z.array(chatTemplateMessageSchema).min(1, 'a chat template needs at least one message'),
]);

/** A text template or chat messages with `{{variable}}` placeholders. */
export type PromptTemplate = z.infer<typeof promptTemplateSchema>;

/** The result of rendering a template. */
export interface RenderedPrompt<Template extends PromptTemplate = PromptTemplate> {
  /** The text, or the messages, with every placeholder replaced. */
  output: Template extends string ? string : ChatTemplateMessage[];
  /** Supplied variables the template does not use (often a typo of one it does). */
  unusedVariables: string[];
}

const placeholderPattern = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const anyBracesPattern = /\{\{([^{}]*)\}\}/g;

function templateTexts(template: PromptTemplate): Array<{ where: string; text: string }> {
  if (typeof template === 'string') return [{ where: 'template', text: template }];
  return template.map((message, index) => ({ where: `template[${index}] (${message.role})`, text: message.content }));
}

/**
 * The variables a template uses, in order of first appearance. A `{{…}}` that is not a variable
 * name is an error rather than literal text, so that a typo does not reach a model unrendered.
 * @throws LlmopsError `invalid_input` naming the bad placeholder and where it is.
 */
export function templateVariables(template: PromptTemplate): string[] {
  const length = typeof template === 'string' ? template.length : JSON.stringify(template).length;
  if (length > maxTemplateLength) {
    throw new LlmopsError(
      'invalid_input',
      `template is ${length} characters long; at most ${maxTemplateLength} are allowed`,
    );
  }
  const variables: string[] = [];
  for (const { where, text } of templateTexts(template)) {
    for (const match of text.matchAll(anyBracesPattern)) {
      const inner = (match[1] ?? '').trim();
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(inner)) {
        throw new LlmopsError(
          'invalid_input',
          `${where}: placeholder "${match[0]}" is not a variable; expected {{name}} with a name of letters, digits and _ not starting with a digit`,
        );
      }
      if (!variables.includes(inner)) variables.push(inner);
    }
  }
  return variables;
}

/**
 * Refuses a `{{` that no `}}` closes (`Hello {{name}`): it would reach the model as literal text, the
 * variable never filled. Checked when a prompt is registered (prompts stored before keep rendering).
 * @throws LlmopsError `invalid_input` naming where the open braces are (line and column) and what is expected.
 */
export function assertPlaceholdersClosed(template: PromptTemplate): void {
  for (const { where, text } of templateTexts(template)) {
    const open = text.replace(anyBracesPattern, (match) => ' '.repeat(match.length)).indexOf('{{');
    if (open < 0) continue;
    const before = text.slice(0, open).split('\n');
    const line = before.length;
    const column = (before[before.length - 1] ?? '').length + 1;
    const excerpt = text.slice(open, open + 24).split('\n')[0];
    throw new LlmopsError(
      'invalid_input',
      `${where}: line ${line}, column ${column}: "${excerpt}" opens a placeholder that no "}}" closes; expected {{name}}`,
    );
  }
}

/**
 * Renders a template with values for its variables. Every variable must have a value; supplied
 * values the template does not use are reported in `unusedVariables`.
 * @throws LlmopsError `invalid_input` naming each variable without a value (and the unused ones).
 */
export function renderPrompt<Template extends PromptTemplate>(
  template: Template,
  values: Readonly<Record<string, string | number | boolean>>,
): RenderedPrompt<Template> {
  const variables = templateVariables(template);
  const missing = variables.filter((name) => !Object.hasOwn(values, name));
  const unusedVariables = Object.keys(values).filter((name) => !variables.includes(name));
  if (missing.length > 0) {
    const unusedNote = unusedVariables.length > 0 ? `; given but unused: ${unusedVariables.join(', ')}` : '';
    throw new LlmopsError(
      'invalid_input',
      `prompt variable${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')} ${missing.length > 1 ? 'have' : 'has'} no value` +
        `; the template uses ${variables.join(', ')}${unusedNote}`,
      { details: { missing, unused: unusedVariables } },
    );
  }
  const fill = (text: string) => text.replace(placeholderPattern, (_match, name: string) => String(values[name]));
  const output =
    typeof template === 'string'
      ? fill(template)
      : template.map((message) => ({ ...message, content: fill(message.content) }));
  return { output: output as RenderedPrompt<Template>['output'], unusedVariables };
}
