import { LlmopsError } from '@llmops/kernel';

const placeholder = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** Templates already read and their variables: a version's pinned prompt is rendered again on every request. */
const knownVariables = new Map<string, readonly string[]>();
/** Templates remembered at most (the map is emptied when full); a server pins a handful. */
const maxKnownTemplates = 256;

function variablesOf(template: string): readonly string[] {
  let variables = knownVariables.get(template);
  if (variables === undefined) {
    variables = Object.freeze([...new Set([...template.matchAll(placeholder)].map((match) => match[1] as string))]);
    if (knownVariables.size >= maxKnownTemplates) knownVariables.clear();
    knownVariables.set(template, variables);
  }
  return variables;
}

/** The variable names a template uses, in first-use order. */
export function templateVariables(template: string): string[] {
  return [...variablesOf(template)];
}

/**
 * Replaces every `{{name}}` (spaces inside the braces allowed) with its value.
 * @throws LlmopsError `invalid_input` naming every variable the template uses but `variables` lacks, and `where`.
 */
export function renderTemplate(
  template: string,
  variables: Readonly<Record<string, string>>,
  where = 'prompt',
): string {
  const used = variablesOf(template);
  if (used.length === 0) return template;
  const missing = used.filter((name) => !Object.hasOwn(variables, name));
  if (missing.length > 0) {
    throw new LlmopsError(
      'invalid_input',
      `${where} needs the variable${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')}; pass ${
        missing.length > 1 ? 'them' : 'it'
      } in the request as llmops.variables`,
      { details: { missing } },
    );
  }
  return template.replace(placeholder, (_match, name: string) => variables[name] as string);
}
