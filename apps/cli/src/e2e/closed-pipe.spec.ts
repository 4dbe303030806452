import { spawnSync } from 'node:child_process';
import { llmopsBin } from './run-cli.js';

describe('llmops whose reader closes the pipe early (built bin)', () => {
  it('stops quietly with exit 0, no EPIPE stack trace, when its output is piped to a command that exits at once', () => {
    // `true` exits before llmops writes its help, so every write of llmops meets a closed pipe, as `| head` does.
    const script =
      `"${process.execPath}" "${llmopsBin}" eval list --help | true; ` + 'echo "llmops exit ${PIPESTATUS[0]}"';
    const result = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('llmops exit 0');
  });
});
