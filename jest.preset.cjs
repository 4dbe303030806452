const path = require('node:path');

const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  throw new Error(
    `llmops tests need Node.js 24 (found ${process.versions.node}). ` +
      'Run them through npm or nx after `npm ci`, which puts the pinned node@24 first on PATH.',
  );
}

/** Shared Jest settings: TypeScript through SWC, workspace packages resolved to their sources. */
module.exports = {
  testEnvironment: 'node',
  // Many tests start real servers or the built bins; on a loaded 2-core machine 5 s is too tight a bound.
  testTimeout: 30_000,
  testMatch: ['**/?(*.)+(spec|test).ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: {
    '^.+\\.[cm]?[tj]s$': [
      '@swc/jest',
      {
        swcrc: false,
        jsc: { target: 'es2022', parser: { syntax: 'typescript' }, keepClassNames: true },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  // ESM-only dependencies (cookie; franc-min, the language detector, and its own dependencies) are compiled
  // to CommonJS for Jest like our own sources; so is OpenTelemetry's
  // OTLP exporter, whose `import('http')` Jest's CommonJS sandbox refuses without --experimental-vm-modules.
  transformIgnorePatterns: [
    '/node_modules/(?!(cookie|@opentelemetry/otlp-exporter-base|franc-min|trigram-utils|n-gram|collapse-white-space)/)',
  ],
  // Sources import siblings as `./x.js` (nodenext); Jest resolves them to the `.ts` files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/out-tsc/'],
  testEnvironmentOptions: { customExportConditions: ['@llmops/source', 'node', 'require', 'default'] },
  reporters: ['default', [path.join(__dirname, 'tools/jest/results-reporter.cjs'), { target: 'test' }]],
};
