import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { LlmopsError } from '@llmops/kernel';
import type { ChartLibrary } from '@llmops/monitoring';

/** One file the dashboard serves: where it is on disk and its content type. */
export interface DashboardAsset {
  path: string;
  contentType: string;
}

// The page, its script and its style live in the package's `assets/dashboard/` folder (published with
// it): two levels up from this module, from `src/http/dashboard/` under Jest and `dist/http/dashboard/` when built.
const ownAssets = fileURLToPath(new URL('../../../assets/dashboard/', import.meta.url));
// uPlot is served from its own npm package, resolved like an import (never copied, never a CDN).
const fromPackages = createRequire(import.meta.url);

/** uPlot's script and style sheet in its npm package: the files the dashboard serves and reports inline. */
const uplotFiles = { script: 'uplot/dist/uPlot.iife.min.js', css: 'uplot/dist/uPlot.min.css' } as const;

/**
 * The dashboard's files by the name it is served under (`/dashboard/assets/<name>`; the page is `index.html`).
 * A closed list: a request can only name one of these.
 */
export function dashboardAssets(): ReadonlyMap<string, DashboardAsset> {
  return new Map([
    ['index.html', { path: `${ownAssets}index.html`, contentType: 'text/html; charset=utf-8' }],
    ['dashboard.js', { path: `${ownAssets}dashboard.js`, contentType: 'text/javascript; charset=utf-8' }],
    ['dashboard.css', { path: `${ownAssets}dashboard.css`, contentType: 'text/css; charset=utf-8' }],
    ['uplot.js', { path: fromPackages.resolve(uplotFiles.script), contentType: 'text/javascript; charset=utf-8' }],
    ['uplot.css', { path: fromPackages.resolve(uplotFiles.css), contentType: 'text/css; charset=utf-8' }],
  ]);
}

/**
 * Reads the dashboard's files once, on first use, and keeps them in memory.
 * @returns a lookup by name; `undefined` for a name that is not a dashboard file.
 * @throws LlmopsError `unavailable` when a file is missing from the installed package.
 */
export function createDashboardAssetReader(
  assets: ReadonlyMap<string, DashboardAsset> = dashboardAssets(),
): (name: string) => Promise<{ body: Buffer; contentType: string } | undefined> {
  const loaded = new Map<string, Promise<Buffer>>();
  return async (name) => {
    const asset = assets.get(name);
    if (!asset) return undefined;
    let body = loaded.get(name);
    if (!body) {
      body = readFile(asset.path).catch((error: unknown) => {
        loaded.delete(name);
        throw new LlmopsError('unavailable', `the dashboard file ${name} is missing from the installed package`, {
          cause: error,
        });
      });
      loaded.set(name, body);
    }
    return { body: await body, contentType: asset.contentType };
  };
}

/**
 * uPlot's script and style sheet, read from its installed npm package (the same files the dashboard serves), for a
 * self-contained report that inlines them (`renderMonitoringHtmlReport`).
 * @throws LlmopsError `unavailable` when the package is not installed.
 */
export async function readChartLibrary(): Promise<ChartLibrary> {
  try {
    const [script, css] = await Promise.all([
      readFile(fromPackages.resolve(uplotFiles.script), 'utf8'),
      readFile(fromPackages.resolve(uplotFiles.css), 'utf8'),
    ]);
    return { source: uplotFiles.script, script, css };
  } catch (error) {
    throw new LlmopsError('unavailable', `the chart library uPlot (${uplotFiles.script}) is not installed`, {
      cause: error,
    });
  }
}
