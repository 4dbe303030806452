import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { z } from 'zod';
import { LlmopsError, loadConfigDocument, modelSpecSchema, validateConfig } from '@llmops/kernel';
import { chatTemplateMessageSchema, promotionPolicySchema } from '@llmops/registry';
import type { PromotionPolicy, PromptTemplate } from '@llmops/registry';
import { workspaceFile } from '../workspace-file.js';

/** Where files are read from and which variables `${env:…}` sees. */
export interface FileContext {
  cwd: string;
  env: Record<string, string | undefined>;
}

/**
 * The path of a file a conf or command names, confined by its real path to the working folder or a data root
 * (`LLMOPS_DATA_ROOTS`).
 * @throws LlmopsError `forbidden` naming the file.
 */
function confined(file: string, context: FileContext, what: string): string {
  return workspaceFile(context, file, what);
}

function readText(file: string, context: FileContext, what: string): string {
  const path = confined(file, context, what);
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a directory' : 'cannot be read';
    throw new LlmopsError('invalid_input', `${what} ${file} ${reason}`, { cause });
  }
}

function loadYaml(file: string, context: FileContext) {
  return loadConfigDocument({
    files: [file],
    env: context.env,
    readFile: (path) => readFileSync(confined(path, context, 'file'), 'utf8'),
  });
}

const chatTemplateFileSchema = z.strictObject({
  messages: z.array(chatTemplateMessageSchema).min(1, 'a chat template needs at least one message'),
});

/**
 * Reads a prompt template file: `.yaml`/`.yml` hold chat messages (`messages: [{role, content}]`),
 * anything else is a text template taken as written.
 * @throws LlmopsError `invalid_input` naming the file (and line and field for YAML).
 */
export function readPromptTemplateFile(file: string, context: FileContext): PromptTemplate {
  const extension = extname(file).toLowerCase();
  if (extension === '.yaml' || extension === '.yml') {
    return validateConfig(chatTemplateFileSchema, loadYaml(file, context), file).messages;
  }
  const text = readText(file, context, 'template file');
  if (text.trim() === '')
    throw new LlmopsError('invalid_input', `template file ${file} is empty; expected the prompt text`);
  return text;
}

/**
 * Reads a model spec file, validating it with file, line and field in every error; returns the
 * spec as written (the registry fills defaults) and the file's text (its hash goes in the lineage).
 * @throws LlmopsError `invalid_input`.
 */
export function readModelSpecFile(file: string, context: FileContext): { spec: Record<string, unknown>; text: string } {
  const text = readText(file, context, 'model spec file');
  const document = loadConfigDocument({ files: [file], env: context.env, readFile: () => text });
  validateConfig(modelSpecSchema, document, file);
  return { spec: document.value, text };
}

/**
 * Reads a promotion policy file.
 * @throws LlmopsError `invalid_input` naming file, line and field.
 */
export function readPromotionPolicyFile(file: string, context: FileContext): PromotionPolicy {
  return validateConfig(promotionPolicySchema, loadYaml(file, context), file);
}
