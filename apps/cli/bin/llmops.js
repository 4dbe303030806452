#!/usr/bin/env node
// The `llmops` command. The compiled program lives in ../dist; build it with `npx nx build cli`.
import { existsSync } from 'node:fs';

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
await import(entry.href);
