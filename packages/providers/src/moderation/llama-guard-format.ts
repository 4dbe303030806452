import { harmCategoryOfLlamaGuard, LlmopsError } from '@llmops/kernel';
import type { HarmCategory, LlamaGuardHazard } from '@llmops/kernel';

/** The hazard categories of Llama Guard 3 (the MLCommons taxonomy), by code, as its prompt names them. */
export const llamaGuardHazardNames = {
  S1: 'Violent Crimes',
  S2: 'Non-Violent Crimes',
  S3: 'Sex Crimes',
  S4: 'Child Exploitation',
  S5: 'Defamation',
  S6: 'Specialized Advice',
  S7: 'Privacy',
  S8: 'Intellectual Property',
  S9: 'Indiscriminate Weapons',
  S10: 'Hate',
  S11: 'Self-Harm',
  S12: 'Sexual Content',
  S13: 'Elections',
  S14: 'Code Interpreter Abuse',
} as const satisfies Record<LlamaGuardHazard, string>;

/** The hazard codes S1–S14, in order. */
export const llamaGuardHazards = Object.keys(llamaGuardHazardNames) as readonly LlamaGuardHazard[];

/** What Llama Guard is asked to judge: the user's message, or the assistant's answer to a question. */
export interface LlamaGuardConversation {
  /** `user`: classify the user's message (input); `agent`: classify the answer (output). */
  judged: 'user' | 'agent';
  /** The text judged. */
  text: string;
  /** For `agent`: the user's message the answer replies to, when known. */
  question?: string;
}

/**
 * The Llama Guard 3 prompt for one conversation, as its model card gives it: the task line naming the
 * role judged, the hazard categories between `<BEGIN UNSAFE CONTENT CATEGORIES>` markers, the
 * conversation (`User:` / `Agent:` turns), and the two-line answer instruction, inside the Llama 3
 * chat header tokens so that it is sent as a raw completion prompt. `<|begin_of_text|>` is left out:
 * the server's tokenizer adds it to every completion prompt, and a second one degrades the answer.
 */
export function llamaGuardPrompt(
  conversation: LlamaGuardConversation,
  hazards: readonly LlamaGuardHazard[] = llamaGuardHazards,
): string {
  const role = conversation.judged === 'user' ? 'User' : 'Agent';
  const turns =
    conversation.judged === 'user'
      ? [`User: ${conversation.text}`]
      : [`User: ${conversation.question ?? ''}`, `Agent: ${conversation.text}`];
  return [
    '<|start_header_id|>user<|end_header_id|>',
    '',
    `Task: Check if there is unsafe content in '${role}' messages in conversations according our safety policy with the below categories.`,
    '',
    '<BEGIN UNSAFE CONTENT CATEGORIES>',
    ...hazards.map((hazard) => `${hazard}: ${llamaGuardHazardNames[hazard]}.`),
    '<END UNSAFE CONTENT CATEGORIES>',
    '',
    '<BEGIN CONVERSATION>',
    '',
    turns.join('\n\n'),
    '',
    '<END CONVERSATION>',
    '',
    `Provide your safety assessment for ONLY THE LAST ${role} message in the above conversation:`,
    " - First line must read 'safe' or 'unsafe'.",
    ' - If unsafe, a second line must include a comma-separated list of violated categories.<|eot_id|><|start_header_id|>assistant<|end_header_id|>',
    '',
    '',
  ].join('\n');
}

/** One hazard Llama Guard named, with the harm category of the kernel's taxonomy it falls in. */
export interface LlamaGuardHazardFinding {
  hazard: LlamaGuardHazard;
  category: HarmCategory;
}

/** Llama Guard's verdict, read from its answer. */
export interface LlamaGuardVerdict {
  safe: boolean;
  /** The hazards named on the second line (empty when safe). */
  hazards: LlamaGuardHazardFinding[];
}

function isHazard(code: string): code is LlamaGuardHazard {
  return Object.hasOwn(llamaGuardHazardNames, code);
}

/**
 * Reads Llama Guard's answer: `safe`, or `unsafe` then a line of comma-separated hazard codes
 * (`unsafe\nS1,S10`). Case and surrounding blanks are forgiven; anything else (another first word,
 * an unknown code, `unsafe` without codes) is not a verdict and throws, so that a confused guard is
 * never read as "safe".
 * @throws LlmopsError `upstream_error` naming what was expected and the start of what came.
 */
export function parseLlamaGuardAnswer(answer: string, where: string): LlamaGuardVerdict {
  const lines = answer
    .trim()
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  // The same prompt at temperature 0 gets the same answer: a malformed one is not worth a retry.
  const malformed = (why: string) =>
    new LlmopsError(
      'upstream_error',
      `${where} did not answer a Llama Guard verdict (${why}); expected "safe" or "unsafe" then a line of codes S1-S14, got: ${JSON.stringify(answer.slice(0, 80))}`,
      { retryable: false },
    );
  const first = lines[0]?.toLowerCase();
  if (first === 'safe' && lines.length === 1) return { safe: true, hazards: [] };
  if (first !== 'unsafe') throw malformed('the first line is neither "safe" nor "unsafe"');
  if (lines.length !== 2) throw malformed('"unsafe" must be followed by exactly one line of hazard codes');
  const codes = (lines[1] as string)
    .split(',')
    .map((code) => code.trim().toUpperCase())
    .filter((code) => code !== '');
  const hazards: LlamaGuardHazardFinding[] = [];
  for (const code of new Set(codes)) {
    const category = isHazard(code) ? harmCategoryOfLlamaGuard(code) : null;
    if (!isHazard(code) || category === null) throw malformed(`unknown hazard code "${code.slice(0, 12)}"`);
    hazards.push({ hazard: code, category });
  }
  if (hazards.length === 0) throw malformed('"unsafe" without hazard codes');
  return { safe: false, hazards };
}
