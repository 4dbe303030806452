import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findWorkspace, resolveStore } from './resolve-store.js';

describe('resolveStore', () => {
  let root: string;
  beforeEach(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'llmops-store-')));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('takes --store, then LLMOPS_STORE, then MLFLOW_TRACKING_URI, then the default', () => {
    const env = { LLMOPS_STORE: 'sqlite:env.db', MLFLOW_TRACKING_URI: 'http://127.0.0.1:5000' };
    expect(resolveStore({ flag: 'sqlite:flag.db', env, cwd: root })).toMatchObject({
      uri: 'sqlite:flag.db',
      source: 'flag',
    });
    expect(resolveStore({ env, cwd: root })).toMatchObject({ uri: 'sqlite:env.db', source: 'LLMOPS_STORE' });
    expect(resolveStore({ env: { MLFLOW_TRACKING_URI: 'http://127.0.0.1:5000/' }, cwd: root })).toMatchObject({
      location: { kind: 'mlflow', trackingUri: 'http://127.0.0.1:5000' },
      source: 'MLFLOW_TRACKING_URI',
    });
    expect(resolveStore({ env: {}, cwd: root })).toMatchObject({
      uri: 'sqlite:.llmops/llmops.db',
      source: 'default',
      workspace: null,
    });
  });

  it('refuses an MLFLOW_TRACKING_URI that is not an http(s) server, naming the variable', () => {
    expect(() => resolveStore({ env: { MLFLOW_TRACKING_URI: 'file:///tmp/mlruns' }, cwd: root })).toThrow(
      /MLFLOW_TRACKING_URI "file:\/\/\/tmp\/mlruns" is not an http\(s\):\/\/ tracking server URL/,
    );
  });

  it('uses the store of the workspace above the working folder, never a new one in the subfolder', () => {
    mkdirSync(join(root, '.llmops'));
    const sub = join(root, 'docs', 'deep');
    mkdirSync(sub, { recursive: true });
    expect(findWorkspace(sub)).toEqual({ root, marker: '.llmops' });
    expect(resolveStore({ env: {}, cwd: sub })).toMatchObject({
      uri: `sqlite:${join(root, '.llmops', 'llmops.db')}`,
      source: 'default',
    });
    expect(resolveStore({ env: {}, cwd: root }).uri).toBe('sqlite:.llmops/llmops.db');
  });

  it('reads the store of llmops.yaml, relative to its folder, below the variables', () => {
    writeFileSync(join(root, 'llmops.yaml'), 'store: sqlite:data/project.db\n');
    const sub = join(root, 'confs');
    mkdirSync(sub);
    expect(resolveStore({ env: {}, cwd: sub })).toMatchObject({
      uri: `sqlite:${join(root, 'data', 'project.db')}`,
      source: 'workspace',
      workspace: { root, marker: 'llmops.yaml' },
    });
    expect(resolveStore({ env: { MLFLOW_TRACKING_URI: 'http://mlflow:5000' }, cwd: sub }).source).toBe(
      'MLFLOW_TRACKING_URI',
    );
    writeFileSync(join(root, 'llmops.yaml'), 'stor: x\n');
    expect(() => resolveStore({ env: {}, cwd: sub })).toThrow(/llmops\.yaml:1: stor: Unrecognized key/);
  });

  it('refuses a SQLite store in a folder that does not exist unless asked to create it', () => {
    expect(() => resolveStore({ flag: 'sqlite:typo/llmops.db', env: {}, cwd: root })).toThrow(
      `store sqlite:typo/llmops.db (from --store): folder ${join(root, 'typo')} does not exist`,
    );
    expect(() => resolveStore({ env: { LLMOPS_STORE: 'sqlite:typo/x.db' }, cwd: root })).toThrow(
      /\(from LLMOPS_STORE\)/,
    );
    expect(resolveStore({ flag: 'sqlite:typo/llmops.db', env: {}, cwd: root, create: true }).uri).toBe(
      'sqlite:typo/llmops.db',
    );
    expect(resolveStore({ flag: 'sqlite::memory:', env: {}, cwd: root }).source).toBe('flag');
  });
});
