import type { Command } from 'commander';
import { LlmopsError } from '@llmops/kernel';
import type { ExplainedFinding, GuardrailExplanation } from '@llmops/serving';
import type { CommandContext } from '../cli-io.js';
import { exitCodes } from '../exit-codes.js';
import { printResult } from '../registry/command-helpers.js';

interface CheckOptions {
  policy?: string;
  side: string;
  guardrails?: string;
}

function findingLine(finding: ExplainedFinding): string {
  const where = finding.start === undefined ? '' : `  at ${finding.start}-${finding.end}`;
  const matched = finding.matched === undefined ? '' : `  ${JSON.stringify(finding.matched)}`;
  const decoded = finding.decoded === undefined ? '' : ` (decoded: ${finding.decoded})`;
  const score = finding.score === undefined ? '' : `  score ${finding.score}`;
  return `  ${finding.check.padEnd(10)} ${finding.action.padEnd(6)} ${finding.category.padEnd(20)} ${finding.rule}${where}${matched}${decoded}${score}\n`;
}

function explanationText(explanation: GuardrailExplanation): string {
  const actions = [...(explanation.redacted ? ['redacted'] : []), ...(explanation.flagged ? ['flagged'] : [])];
  const head = `${explanation.verdict}${actions.length > 0 ? ` (${actions.join(', ')})` : ''}: policy "${explanation.policy}", ${explanation.side} side\n`;
  const findings =
    explanation.findings.length === 0
      ? '  nothing found\n'
      : `  CHECK      ACTION CATEGORY             RULE\n${explanation.findings.map(findingLine).join('')}`;
  const redacted = explanation.redactedText === undefined ? '' : `redacted text: ${explanation.redactedText}\n`;
  const skipped =
    explanation.skipped.length === 0 ? '' : `not run here: ${explanation.skipped.join(', ')} (it calls a service)\n`;
  return `${head}${findings}${redacted}${skipped}`;
}

/**
 * `llmops guard check "<text>" [--policy P] [--side input|output] [--guardrails FILE]`: explains what a guardrail
 * policy does with a text. Exit 0 when the text is allowed (redacted or flagged included), 1 when it is blocked,
 * 2 for bad input (an unknown policy names the known ones).
 */
export function registerGuardCommand(
  program: Command,
  options: { context: () => CommandContext; setExitCode: (code: number) => void },
): void {
  const guard = program.command('guard').description('explain guardrail verdicts');
  guard
    .command('check')
    .description('run a guardrail policy on a text and explain the verdict (exit 0 allowed, 1 blocked, 2 bad input)')
    .argument('<text>', 'the text to check')
    .option('--policy <name>', 'guardrail policy (default: the policy named default)')
    .option('--side <side>', 'input (a user message) or output (an answer)', 'input')
    .option('--guardrails <file>', 'guardrail policies file (default confs/guardrails.yaml when it exists)')
    .action(async (text: string, commandOptions: CheckOptions) => {
      const context = options.context();
      // Guardrails are imported when `guard check` runs: `llmops guard --help` loads none of their packages.
      const [{ workspaceGuardrailPolicies }, { defaultGuardrailPolicyName, explainGuardrails }] = await Promise.all([
        import('@llmops/composition'),
        import('@llmops/serving'),
      ]);
      const side = commandOptions.side;
      if (side !== 'input' && side !== 'output')
        throw new LlmopsError('invalid_input', `--side "${side}" is not input or output`);
      const policies = workspaceGuardrailPolicies({
        cwd: context.io.cwd,
        env: context.io.env,
        ...(commandOptions.guardrails ? { guardrailsFile: commandOptions.guardrails } : {}),
      });
      const policyName = commandOptions.policy ?? defaultGuardrailPolicyName;
      const explanation = await explainGuardrails({ policies, policyName, side, text });
      printResult(context, { value: explanation, text: () => explanationText(explanation) });
      if (explanation.verdict === 'blocked') options.setExitCode(exitCodes.runtimeError);
    });
}
