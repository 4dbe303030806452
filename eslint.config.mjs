import nx from '@nx/eslint-plugin';

/**
 * The dependency rule of llmops (wiki/Architecture.md):
 * kernel <- infra (providers, mlflow-client) <- contexts <- apps.
 * Contexts never import each other; they declare ports and the apps wire them.
 * Only the providers package may import `openai` in production code.
 */
const layerConstraints = [
  { sourceTag: 'type:kernel', onlyDependOnLibsWithTags: ['type:kernel'] },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:kernel'] },
  { sourceTag: 'type:context', onlyDependOnLibsWithTags: ['type:kernel', 'type:infra'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:kernel', 'type:infra', 'type:context'] },
];

const moduleBoundaries = (depConstraints) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
    depConstraints,
  },
];

export default [
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
    files: ['**/*.spec.ts', '**/*.integration.ts', '**/testing/**/*.ts', 'tools/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries(layerConstraints) },
  },
];
