import { readFileSync } from 'node:fs';
import { colorEnabled } from './cli-style.js';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const argv = process.argv.slice(2);

// A reader that stops early (`llmops eval list | head`) closes the pipe: stop quietly, as Unix tools do, with the exit
// code so far, instead of crashing on the next write with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit();
});

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // Answered before the program and its packages load: printing the version should not cost a second.
  process.stdout.write(`${packageJson.version}\n`);
} else {
  const { runCli } = await import('./program.js');
  process.exitCode = await runCli({
    argv,
    version: packageJson.version,
    io: {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      env: process.env,
      cwd: process.cwd(),
      interactive: Boolean(process.stderr.isTTY),
      color: {
        stdout: colorEnabled({ isTTY: Boolean(process.stdout.isTTY), env: process.env }),
        stderr: colorEnabled({ isTTY: Boolean(process.stderr.isTTY), env: process.env }),
      },
    },
  });
}
