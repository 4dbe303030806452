import { readFileSync } from 'node:fs';
import { runCli } from './program.js';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const exitCode = await runCli({
  argv: process.argv.slice(2),
  version: packageJson.version,
  io: {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    interactive: Boolean(process.stderr.isTTY),
  },
});
process.exitCode = exitCode;
