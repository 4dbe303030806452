#!/usr/bin/env node
// The `llmops` command. The compiled program lives in ../dist; build it with `npx nx build cli`.
import { existsSync } from 'node:fs';

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(
    `error: llmops needs Node.js 22 or newer (it uses node:sqlite); this is ${process.versions.node}. ` +
      'Run it as `npx llmops` inside the workspace, which uses the pinned node@24.',
  );
  process.exit(1);
}
const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('error: the llmops CLI is not built yet; run `npx nx build cli` first');
  process.exit(1);
}
await import(entry.href);
