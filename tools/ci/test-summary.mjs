// Sums the per-project Jest results written by tools/jest/results-reporter.cjs and prints the one
// line CI reads: `tests: N passed, N failed`. Usage: node tools/ci/test-summary.mjs <npm test exit code>
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const directory = join(import.meta.dirname, '..', '..', 'test-output', 'results');
const npmTestStatus = Number(process.argv[2] ?? '0');
let passed = 0;
let failed = 0;
for (const name of existsSync(directory) ? readdirSync(directory).sort() : []) {
  if (!name.endsWith('.json')) continue;
  const result = JSON.parse(readFileSync(join(directory, name), 'utf8'));
  console.log(`  ${result.project} ${result.target}: ${result.passed} passed, ${result.failed} failed`);
  passed += result.passed;
  failed += result.failed;
}
if (npmTestStatus !== 0 && failed === 0) {
  console.log(
    `npm test exited with ${npmTestStatus} outside the test runs (lint, typecheck, build or a suite that did not start)`,
  );
  failed = 1;
}
console.log(`tests: ${passed} passed, ${failed} failed`);
