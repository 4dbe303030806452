const fs = require('node:fs');
const path = require('node:path');

/**
 * Writes the pass/fail counts of one Jest run to test-output/results/<project>-<target>.json at the
 * workspace root, so that .ci/run prints one `tests: N passed, N failed` line for all projects.
 * A suite that fails to run at all (compile error, failed global setup) counts as one failed test.
 */
class ResultsReporter {
  constructor(globalConfig, options = {}) {
    this.rootDir = globalConfig.rootDir;
    this.target = options.target ?? 'test';
  }

  onRunComplete(_contexts, results) {
    const workspaceRoot = path.join(__dirname, '..', '..');
    const directory = path.join(workspaceRoot, 'test-output', 'results');
    fs.mkdirSync(directory, { recursive: true });
    const project = path.relative(workspaceRoot, this.rootDir).replace(/[\\/]/g, '_') || 'root';
    const suitesThatDidNotRun = results.testResults.filter((suite) => suite.testExecError).length;
    const summary = {
      project,
      target: this.target,
      passed: results.numPassedTests,
      failed: results.numFailedTests + suitesThatDidNotRun + (results.wasInterrupted ? 1 : 0),
    };
    fs.writeFileSync(path.join(directory, `${project}-${this.target}.json`), `${JSON.stringify(summary)}\n`);
  }
}

module.exports = ResultsReporter;
