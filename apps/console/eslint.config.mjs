import { projectConfig } from '../../eslint.config.mjs';

export default [
  ...projectConfig,
  {
    // build.mjs runs esbuild at build time (a devDependency); the rule checks what the app's sources import.
    files: ['**/*.json'],
    rules: {
      '@nx/dependency-checks': [
        'error',
        {
          ignoredFiles: [
            '{projectRoot}/eslint.config.{js,cjs,mjs,ts,cts,mts}',
            '{projectRoot}/jest*.config.{js,cjs,cts,ts}',
            '{projectRoot}/build.mjs',
          ],
        },
      ],
    },
  },
];
