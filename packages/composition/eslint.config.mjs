import { projectConfig } from '../../eslint.config.mjs';

export default [
  ...projectConfig,
  {
    files: ['**/*.json'],
    rules: {
      // uPlot is a runtime dependency without an import: the dashboard serves its browser file, found by
      // `createRequire(...).resolve('uplot/dist/uPlot.iife.min.js')`, which dependency-checks cannot see.
      '@nx/dependency-checks': [
        'error',
        {
          ignoredFiles: [
            '{projectRoot}/eslint.config.{js,cjs,mjs,ts,cts,mts}',
            '{projectRoot}/jest*.config.{js,cjs,cts,ts}',
          ],
          ignoredDependencies: ['uplot'],
        },
      ],
    },
  },
];
