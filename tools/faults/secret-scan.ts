/**
 * The secret scan: after a suite ran with known sentinel secrets (the admin key, provider keys, inference keys, store
 * credentials), looks for each of them in every file under the given folders or files (logs, reports, the SQLite stores
 * with their WAL files, MLflow's backend and artifacts), byte for byte, as written and URL-encoded.
 *
 *   node_modules/.bin/node --import tsx tools/faults/secret-scan.ts --secrets <file.json> <folder or file>...
 *
 * The secrets file maps a kind to a value (`{"admin key": "llmops-…", "provider key": "sk-…"}`); values shorter than 12
 * characters are refused (they would match by chance). Prints one line per hit, naming the file and the kind, never
 * the value; exits 0 with no hit, 1 with hits, 2 for bad input (a missing path or secrets file).
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** One secret found in one file: where and what kind, never the value. */
export interface SecretHit {
  file: string;
  kind: string;
}

/** What one scan looked at, and what it found. */
export interface SecretScanResult {
  files: number;
  bytes: number;
  hits: SecretHit[];
}

/** The byte patterns one secret is looked for as: as written, and URL-encoded when that differs. */
function patternsOf(value: string): Buffer[] {
  const encoded = encodeURIComponent(value);
  return encoded === value ? [Buffer.from(value)] : [Buffer.from(value), Buffer.from(encoded)];
}

function* filesUnder(path: string): Generator<string> {
  const stat = lstatSync(path);
  // Symbolic links are not followed: the scan stays inside what the suite wrote.
  if (stat.isSymbolicLink()) return;
  if (stat.isFile()) {
    yield path;
    return;
  }
  if (!stat.isDirectory()) return;
  for (const entry of readdirSync(path).sort()) yield* filesUnder(join(path, entry));
}

/**
 * Scans every regular file under `roots` for every secret.
 * @throws Error naming the path when a root does not exist, or the kind when a secret is shorter than 12 characters.
 */
export function scanForSecrets(options: {
  roots: readonly string[];
  secrets: Record<string, string>;
}): SecretScanResult {
  const secrets = Object.entries(options.secrets).map(([kind, value]) => {
    if (value.length < 12) throw new Error(`secret "${kind}" is shorter than 12 characters; use a longer sentinel`);
    return { kind, patterns: patternsOf(value) };
  });
  const result: SecretScanResult = { files: 0, bytes: 0, hits: [] };
  for (const root of options.roots) {
    if (!existsSync(root)) throw new Error(`${root} does not exist; expected a folder or file the suite wrote`);
    for (const file of filesUnder(resolve(root))) {
      const content = readFileSync(file);
      result.files += 1;
      result.bytes += content.length;
      for (const { kind, patterns } of secrets)
        if (patterns.some((pattern) => content.includes(pattern))) result.hits.push({ file, kind });
    }
  }
  return result;
}

function main(argv: readonly string[]): number {
  const index = argv.indexOf('--secrets');
  const secretsFile = index >= 0 ? argv[index + 1] : undefined;
  const roots = argv.filter((_, position) => position !== index && position !== index + 1);
  if (!secretsFile || roots.length === 0) {
    process.stderr.write('usage: secret-scan.ts --secrets <file.json> <folder or file>...\n');
    return 2;
  }
  let result: SecretScanResult;
  try {
    const secrets = JSON.parse(readFileSync(secretsFile, 'utf8')) as unknown;
    if (typeof secrets !== 'object' || secrets === null || Object.values(secrets).some((v) => typeof v !== 'string'))
      throw new Error(`${secretsFile}: expected a JSON object of kind → secret (strings)`);
    result = scanForSecrets({ roots, secrets: secrets as Record<string, string> });
  } catch (error) {
    process.stderr.write(`secret-scan: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  for (const hit of result.hits) process.stdout.write(`secret-scan: ${hit.file}: ${hit.kind}\n`);
  process.stdout.write(
    `secret-scan: ${result.files} files, ${result.bytes} bytes, ${result.hits.length} hit(s) of ${roots.length} root(s)\n`,
  );
  return result.hits.length === 0 ? 0 : 1;
}

if (process.argv[1]?.endsWith('secret-scan.ts')) process.exit(main(process.argv.slice(2)));
