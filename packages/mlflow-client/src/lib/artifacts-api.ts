import { LlmopsError } from '@llmops/kernel';
import { z } from 'zod';
import type { HttpTransport } from './http-transport.js';
import { checkArtifactPath } from './input-validation.js';
import type { RunsApi } from './runs-api.js';
import { int64 } from './wire-schemas.js';

/** A file or folder in an artifact store. */
export interface ArtifactFile {
  /** Path relative to the artifact root (the run's `artifacts/` folder), `/`-separated. */
  path: string;
  isDir: boolean;
  /** Size in bytes (0 for folders). */
  fileSize: number;
}

/** Where artifacts live: a run (its artifact root is looked up) or an artifact root URI. */
export type ArtifactLocation =
  | { runId: string; artifactUri?: undefined }
  | {
      /** `mlflow-artifacts:/<experiment>/<run>/artifacts` (a run's `info.artifactUri`) or an `http(s)://…/api/2.0/mlflow-artifacts/artifacts/…` URL. */
      artifactUri: string;
      runId?: undefined;
    };

const listResponseSchema = z.object({
  files: z
    .array(z.object({ path: z.string(), is_dir: z.boolean().optional().default(false), file_size: int64() }))
    .optional()
    .default([]),
});

const proxyPath = '/api/2.0/mlflow-artifacts/artifacts';

/**
 * The proxy path (below `/api/2.0/mlflow-artifacts/artifacts/`) of an artifact root URI.
 * @throws LlmopsError `invalid_input` when the URI is not served by MLflow's artifact proxy.
 */
export function artifactProxyRoot(artifactUri: string): string {
  let path: string | undefined;
  if (artifactUri.startsWith('mlflow-artifacts:')) {
    // mlflow-artifacts:/1/abc/artifacts, or mlflow-artifacts://host:port/1/abc/artifacts
    const rest = artifactUri.slice('mlflow-artifacts:'.length);
    path = rest.startsWith('//') ? rest.slice(2).replace(/^[^/]*/, '') : rest;
  } else if (/^https?:\/\//.test(artifactUri)) {
    const { pathname } = new URL(artifactUri);
    const at = pathname.indexOf(`${proxyPath}/`);
    if (at >= 0) path = decodeURIComponent(pathname.slice(at + proxyPath.length));
  }
  if (path === undefined) {
    throw new LlmopsError(
      'invalid_input',
      `artifact root "${artifactUri}" is not served by MLflow's artifact proxy; expected mlflow-artifacts:/… (start the server with --serve-artifacts)`,
    );
  }
  return path.replace(/^\/+/, '').replace(/\/+$/, '');
}

function encodePath(path: string): string {
  return path
    .split('/')
    .filter((segment) => segment !== '')
    .map(encodeURIComponent)
    .join('/');
}

/**
 * Artifacts through the `mlflow-artifacts` proxy of a server started with `--serve-artifacts`:
 * upload, download and list files of a run (or of any proxied artifact root).
 */
export class ArtifactsApi {
  constructor(
    private readonly transport: HttpTransport,
    private readonly runs: RunsApi,
  ) {}

  /** The proxy path of a location's artifact root (one `runs/get` call for a run id). */
  private async rootOf(location: ArtifactLocation, signal: AbortSignal | undefined): Promise<string> {
    if (location.artifactUri !== undefined) return artifactProxyRoot(location.artifactUri);
    const run = await this.runs.get(location.runId, { signal });
    return artifactProxyRoot(run.info.artifactUri);
  }

  /**
   * Uploads one file (overwriting any file at the same path).
   * @throws LlmopsError `invalid_input` for a path with `..`, a leading `/` or backslashes.
   */
  async upload(
    options: ArtifactLocation & {
      path: string;
      content: Uint8Array | string;
      contentType?: string;
      signal?: AbortSignal;
    },
  ): Promise<void> {
    checkArtifactPath(options.path, { field: 'path', allowEmpty: false });
    const root = await this.rootOf(options, options.signal);
    const contentType =
      options.contentType ??
      (typeof options.content === 'string' ? 'text/plain; charset=utf-8' : 'application/octet-stream');
    await this.transport.send(
      {
        method: 'PUT',
        path: `${proxyPath}/${encodePath(root)}/${encodePath(options.path)}`,
        body: options.content,
        headers: { 'content-type': contentType },
        signal: options.signal,
      },
      async (response) => {
        await response.arrayBuffer();
      },
    );
  }

  /**
   * Downloads one file's bytes.
   * @throws LlmopsError `not_found` when there is no such file.
   */
  async download(options: ArtifactLocation & { path: string; signal?: AbortSignal }): Promise<Uint8Array> {
    checkArtifactPath(options.path, { field: 'path', allowEmpty: false });
    const root = await this.rootOf(options, options.signal);
    const response = await this.transport.bytes({
      method: 'GET',
      path: `${proxyPath}/${encodePath(root)}/${encodePath(options.path)}`,
      headers: { accept: '*/*' },
      signal: options.signal,
    });
    return response.body;
  }

  /** Downloads one file as UTF-8 text. */
  async downloadText(options: ArtifactLocation & { path: string; signal?: AbortSignal }): Promise<string> {
    return new TextDecoder().decode(await this.download(options));
  }

  /**
   * Lists the files and folders directly under `path` (the root when omitted). Paths in the
   * answer are relative to the artifact root; a folder that does not exist lists as empty.
   */
  async list(options: ArtifactLocation & { path?: string; signal?: AbortSignal }): Promise<ArtifactFile[]> {
    const folder = (options.path ?? '').replace(/\/+$/, '');
    checkArtifactPath(folder, { field: 'path', allowEmpty: true });
    const root = await this.rootOf(options, options.signal);
    const listed = [root, folder].filter((part) => part !== '').join('/');
    const response = await this.transport.json(
      { method: 'GET', path: proxyPath, query: { path: listed }, signal: options.signal },
      listResponseSchema,
    );
    return response.files.map((file) => ({
      path: folder === '' ? file.path : `${folder}/${file.path}`,
      isDir: file.is_dir,
      fileSize: file.file_size,
    }));
  }
}
