import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertPayload } from '../../application/alerts/alert-ports.js';
import { FileNotifier } from './file-notifier.js';

const payload: AlertPayload = {
  id: 'alert-1',
  rule: 'drift',
  severity: 'warning',
  at: '2026-11-29T12:00:00.000Z',
  model: null,
  dryRun: false,
  signal: { source: 'drift', name: 'drift', breached: true, value: 0.6, threshold: 0.5, window: null, details: {} },
  actions: [],
};

describe('FileNotifier', () => {
  it('appends one JSON line per alert, creating the folder inside the workspace', async () => {
    const root = mkdtempSync(join(tmpdir(), 'llmops-alert-file-'));
    const notifier = new FileNotifier({ root, path: '.llmops/alerts.jsonl' });
    expect(await notifier.send(payload)).toEqual({ status: 'sent', attempts: 1 });
    expect(await notifier.send({ ...payload, id: 'alert-2' })).toEqual({ status: 'sent', attempts: 1 });
    const lines = readFileSync(join(root, '.llmops', 'alerts.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((line) => JSON.parse(line).id)).toEqual(['alert-1', 'alert-2']);
  });

  it.each(['../outside.jsonl', '/tmp/elsewhere/alerts.jsonl'])('refuses %s, outside the workspace', (path) => {
    const root = mkdtempSync(join(tmpdir(), 'llmops-alert-file-'));
    expect(() => new FileNotifier({ root, path })).toThrow(
      `alert file ${path} is outside the folder files are read from`,
    );
  });

  it('refuses a path that a symbolic link inside the workspace leads out of, also when the link appears later', async () => {
    const root = mkdtempSync(join(tmpdir(), 'llmops-alert-file-'));
    const outside = mkdtempSync(join(tmpdir(), 'llmops-alert-outside-'));
    symlinkSync(outside, join(root, 'linked'));
    expect(() => new FileNotifier({ root, path: 'linked/alerts.jsonl' })).toThrow(
      'is outside the folder files are read from',
    );

    const notifier = new FileNotifier({ root, path: 'logs/alerts.jsonl' });
    symlinkSync(outside, join(root, 'logs'));
    expect(await notifier.send(payload)).toEqual({
      status: 'failed',
      attempts: 1,
      error: expect.stringContaining('is outside the folder files are read from'),
    });
  });

  it('writes inside a data root of LLMOPS_DATA_ROOTS, and refuses a link there that leads elsewhere, naming the path and the allowed folders', async () => {
    const root = mkdtempSync(join(tmpdir(), 'llmops-alert-file-'));
    const dataRoot = mkdtempSync(join(tmpdir(), 'llmops-alert-data-root-'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'llmops-alert-elsewhere-'));
    const env = { LLMOPS_DATA_ROOTS: dataRoot };

    const inDataRoot = join(dataRoot, 'alerts', 'alerts.jsonl');
    const notifier = new FileNotifier({ root, path: inDataRoot, env });
    expect(await notifier.send(payload)).toEqual({ status: 'sent', attempts: 1 });
    expect(JSON.parse(readFileSync(inDataRoot, 'utf8')).id).toBe('alert-1');

    writeFileSync(join(elsewhere, 'alerts.jsonl'), 'secret-looking-content-1234\n');
    symlinkSync(join(elsewhere, 'alerts.jsonl'), join(dataRoot, 'escaping.jsonl'));
    const escaping = join(dataRoot, 'escaping.jsonl');
    let message = '';
    try {
      new FileNotifier({ root, path: escaping, env });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`alert file ${escaping} is outside the workspace and data roots`);
    expect(message).toContain(`expected a path inside ${root} or ${dataRoot}`);
    expect(message).not.toContain('secret-looking-content');
  });

  it('refuses a data root that is not absolute', () => {
    const root = mkdtempSync(join(tmpdir(), 'llmops-alert-file-'));
    expect(() => new FileNotifier({ root, path: 'alerts.jsonl', env: { LLMOPS_DATA_ROOTS: 'relative/data' } })).toThrow(
      'LLMOPS_DATA_ROOTS: "relative/data" is not an absolute folder',
    );
  });
});
