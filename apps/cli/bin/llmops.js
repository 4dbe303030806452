#!/usr/bin/env node
// The `llmops` command. The compiled program lives in ../dist; build it with `npx nx build cli`.
import { existsSync } from 'node:fs';
import module from 'node:module';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  console.error(
    `error: llmops needs Node.js 22.13 or newer (it uses node:sqlite); this is ${process.versions.node}. ` +
      'Inside the workspace run it as `npx llmops`, which uses the pinned node@24.',
  );
  process.exit(1);
}
const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('error: the llmops CLI is not built yet; run `npx nx build cli` first');
  process.exit(1);
}
// V8's compiled code of the ~2,000 modules a command loads is kept on disk (os.tmpdir()/node-compile-cache, keyed by
// each file's content), so every later start skips compiling them; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
module.enableCompileCache();
await import(entry.href);
