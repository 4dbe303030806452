import nx from '@nx/eslint-plugin';

/**
 * The dependency rule of llmops (wiki/Architecture.md):
 * kernel <- infra (providers, mlflow-client) <- contexts <- composition <- apps.
 * Contexts never import each other; they declare ports and composition wires them. Apps never import each other.
 * Only the providers package may import `openai` in production code.
 */
const layerConstraints = [
  { sourceTag: 'type:kernel', onlyDependOnLibsWithTags: ['type:kernel'] },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:kernel'] },
  { sourceTag: 'type:context', onlyDependOnLibsWithTags: ['type:kernel', 'type:infra'] },
  // Composition wires contexts to each other through their ports; what two apps share lives here.
  { sourceTag: 'type:composition', onlyDependOnLibsWithTags: ['type:kernel', 'type:infra', 'type:context'] },
  // Apps never import each other.
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:kernel', 'type:infra', 'type:context', 'type:composition'],
  },
];

const moduleBoundaries = (depConstraints) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
    // The CLI imports workspace packages with `import()` so that `--help` loads none of them; the modules it loads
    // that way import the same packages statically, which is intended (this check is about bundle splitting).
    checkDynamicDependenciesExceptions: ['@llmops/*'],
    depConstraints,
  },
];

const workspaceConfig = [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/out-tsc', '**/test-output', '**/.llmops', '**/.venv-mlflow'] },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs', '**/*.cts', '**/*.mts'],
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries([
        ...layerConstraints,
        // Every project but providers: `openai` is banned (the official SDK stays behind the ChatModel port).
        { sourceTag: '/^scope:(?!providers$)/', bannedExternalImports: ['openai', 'openai/*'] },
      ]),
      '@typescript-eslint/consistent-type-imports': 'error',
      'max-params': ['error', 3],
    },
  },
  {
    // The official client is the best caller of our OpenAI-compatible endpoints, so tests may use it.
    files: ['**/*.spec.ts', '**/*.integration.ts', '**/__fixtures__/**/*.ts', '**/testing/**/*.ts', 'tools/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries(layerConstraints) },
  },
];

export default workspaceConfig;

/**
 * The config of every project (each project's eslint.config.mjs re-exports it): the workspace rules,
 * plus `@nx/dependency-checks` on package.json, so that every imported package is declared and
 * nothing declared is unused.
 */
export const projectConfig = [
  ...workspaceConfig,
  {
    files: ['**/*.json'],
    rules: {
      '@nx/dependency-checks': [
        'error',
        {
          ignoredFiles: [
            '{projectRoot}/eslint.config.{js,cjs,mjs,ts,cts,mts}',
            '{projectRoot}/jest*.config.{js,cjs,cts,ts}',
          ],
        },
      ],
    },
    languageOptions: { parser: await import('jsonc-eslint-parser') },
  },
];
