import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The dependency rule of the workspace (wiki/Architecture.md) is enforced by ESLint; these cases lint
 * code given on stdin as if it were a file of a given project, so nothing is written to the tree.
 */
const workspaceRoot = join(__dirname, '..', '..', '..', '..');
const eslintBin = join(workspaceRoot, 'node_modules', 'eslint', 'bin', 'eslint.js');

function lint(filePath: string, code: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [eslintBin, '--stdin', '--stdin-filename', filePath], {
    cwd: workspaceRoot,
    input: code,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('module boundaries', () => {
  it('bans openai in the kernel', () => {
    const result = lint(
      'packages/kernel/src/violation.ts',
      "import OpenAI from 'openai';\nexport const client = OpenAI;\n",
    );
    expect(result.status).toBe(1);
    expect(result.output).toContain('is not allowed to import "openai"');
  });

  it('bans the kernel from depending on infra, and infra from depending on apps', () => {
    const kernel = lint(
      'packages/kernel/src/violation.ts',
      "import { createChatModel } from '@llmops/providers';\nexport const x = createChatModel;\n",
    );
    expect(kernel.status).toBe(1);
    // Every project depends on the kernel, so Nx reports the cycle this import would make.
    expect(kernel.output).toMatch(
      /Circular dependency between "kernel" and "providers"|"type:kernel" can only depend on/,
    );
    expect(kernel.output).toContain('@nx/enforce-module-boundaries');
    const infra = lint(
      'packages/mlflow-client/src/violation.ts',
      "import { runCli } from '@llmops/cli';\nexport const x = runCli;\n",
    );
    expect(infra.status).toBe(1);
    expect(infra.output).toMatch(
      /Circular dependency between "mlflow-client" and "cli"|"type:infra" can only depend on libs tagged with "type:kernel"/,
    );
    expect(infra.output).toContain('@nx/enforce-module-boundaries');
  });

  it('bans apps from importing each other: what the CLI and the API share lives in composition', () => {
    const cli = lint(
      'apps/cli/src/violation.ts',
      "import { something } from '@llmops/api';\nexport const x = something;\n",
    );
    expect(cli.status).toBe(1);
    expect(cli.output).toMatch(/"type:app" can only depend on libs tagged with/);
    expect(
      lint(
        'apps/cli/src/allowed.ts',
        "import { startLlmopsServer } from '@llmops/composition';\nexport const x = startLlmopsServer;\n",
      ).status,
    ).toBe(0);
  });

  it('bans contexts from depending on composition (they declare ports instead)', () => {
    const context = lint(
      'packages/serving/src/violation.ts',
      "import { RegistryModelResolver } from '@llmops/composition';\nexport const x = RegistryModelResolver;\n",
    );
    expect(context.status).toBe(1);
    expect(context.output).toContain('@nx/enforce-module-boundaries');
  });

  it('allows openai in providers, and in tests anywhere', () => {
    expect(
      lint('packages/providers/src/allowed.ts', "import OpenAI from 'openai';\nexport const client = OpenAI;\n").status,
    ).toBe(0);
    expect(
      lint(
        'packages/mlflow-client/src/allowed.spec.ts',
        "import OpenAI from 'openai';\nexport const client = OpenAI;\n",
      ).status,
    ).toBe(0);
  });
});
