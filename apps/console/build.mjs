// Bundles the console (src/main.tsx with Preact and uPlot) into dist/: index.html and assets/ with content-hashed
// names, so the API can serve them with long cache lifetimes. Nothing is loaded from a CDN: every byte is here.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const outdir = join(root, 'dist');

await rm(outdir, { recursive: true, force: true });
await mkdir(join(outdir, 'assets'), { recursive: true });
const result = await build({
  entryPoints: [join(root, 'src', 'main.tsx')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  platform: 'browser',
  outdir: join(outdir, 'assets'),
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path));
const script = outputs.find((name) => /^main-[A-Z0-9]+\.js$/.test(name));
const style = outputs.find((name) => /^main-[A-Z0-9]+\.css$/.test(name));
if (!script || !style) throw new Error(`the console build made no main script or style sheet: ${outputs.join(', ')}`);
const page = (await readFile(join(root, 'src', 'index.html'), 'utf8'))
  .replace('{{js}}', script)
  .replace('{{css}}', style);
await writeFile(join(outdir, 'index.html'), page);
console.log(`console: dist/index.html, dist/assets/${script}, dist/assets/${style}`);
