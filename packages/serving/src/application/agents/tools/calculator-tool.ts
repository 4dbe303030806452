import { z } from 'zod';
import { evaluateArithmetic, formatNumber } from '../../../domain/agents/calculator.js';
import { functionTool } from '../agent-tool.js';
import type { AgentTool } from '../agent-tool.js';

const calculatorArguments = z.strictObject({
  expression: z
    .string()
    .min(1)
    .max(500)
    .describe(
      'Arithmetic with + - * / % ^, parentheses, sqrt abs round floor ceil min max, pi and e; for example (12 * 7) / 3',
    ),
});

/** The `calculator` tool: evaluates arithmetic with a parser (never `eval`); answers `<expression> = <value>`. */
export function calculatorTool(spec: { name: string; description?: string | undefined }): AgentTool {
  const description = spec.description ?? 'Evaluates an arithmetic expression exactly.';
  return {
    name: spec.name,
    kind: 'calculator',
    arguments: calculatorArguments,
    definition: functionTool({ name: spec.name, description, arguments: calculatorArguments }),
    async run(args) {
      const { expression } = args as z.output<typeof calculatorArguments>;
      return `${expression.trim()} = ${formatNumber(evaluateArithmetic(expression))}`;
    },
  };
}
