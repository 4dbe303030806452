import { z } from 'zod';
import { LlmopsError } from '../errors/llmops-error.js';

/** The prefix of environment variables that declare a provider key: `LLMOPS_PROVIDER_KEY_<NAME>`. */
export const providerKeyPrefix = 'LLMOPS_PROVIDER_KEY_';

/** The suffix of the variable listing the hosts a prefixed key may be sent to: `LLMOPS_PROVIDER_KEY_<NAME>_HOSTS`. */
export const providerKeyHostsSuffix = '_HOSTS';

/** The variable of OpenAI's key, read when a spec names none, and only ever sent to OpenAI's API host. */
export const defaultProviderKeyVariable = 'OPENAI_API_KEY';

const variablePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Variables that hold the deployment's own secrets: the admin token, the stores' and the trace collector's credentials.
 * No credential may name one, whatever the deployment declares.
 */
const neverNamed: readonly RegExp[] = [
  new RegExp(`^LLMOPS_(?!${providerKeyPrefix.slice('LLMOPS_'.length)})`, 'i'),
  /^MLFLOW_/i,
  /^PG[A-Z]*$/i,
  /^POSTGRES/i,
  /^DATABASE_URL$/i,
  /^REDIS/i,
  /^OTEL_/i,
  /^AWS_(SECRET_ACCESS_KEY|SESSION_TOKEN|ACCESS_KEY_ID)$/i,
  /^AZURE_STORAGE_/i,
  /^GOOGLE_APPLICATION_CREDENTIALS$/i,
];

/** True for a variable no credential may name (the admin token, store and collector credentials). */
export function isNeverNamedVariable(variable: string): boolean {
  return neverNamed.some((pattern) => pattern.test(variable));
}

/**
 * One allowed host: a host name or IP address (`api.openai.com`, `127.0.0.1`, `[::1]`), optionally with a port
 * (`127.0.0.1:11434`), or `*.` and a domain for any of its subdomains (`*.openai.azure.com`).
 */
const hostPattern = /^(\*\.)?([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:[0-9]{1,5})?$/;

const hostSchema = z
  .string()
  .transform((host) => host.trim().toLowerCase())
  .pipe(
    z.string().regex(hostPattern, {
      error: 'expected a host such as api.openai.com, 127.0.0.1:11434 or *.openai.azure.com (no scheme, no path)',
    }),
  );

/** One credential as `confs/credentials.yaml` declares it. */
export const credentialEntrySchema = z.strictObject({
  /** The environment variable holding the key. */
  env: z
    .string()
    .regex(variablePattern, { error: 'expected an environment variable name such as OPENAI_API_KEY' })
    .refine((variable) => !isNeverNamedVariable(variable), {
      error:
        'names a variable of the deployment itself (admin token, store or collector credentials), which no credential may name',
    }),
  /** The hosts the key may be sent to (at least one). */
  hosts: z.array(hostSchema).min(1, { error: 'expected at least one host the key may be sent to' }),
});

/** `confs/credentials.yaml`: the provider keys a deployment allows, each bound to the hosts it may be sent to. */
export const credentialsFileSchema = z.strictObject({
  credentials: z.record(
    z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'expected a credential name of A-Z a-z 0-9 _ -' }),
    credentialEntrySchema,
  ),
});
/** The parsed `confs/credentials.yaml`. */
export type CredentialsFile = z.infer<typeof credentialsFileSchema>;

/** A declared provider key: which variable holds it and where it may go. */
export interface ProviderCredential {
  /** The credential's name (`openai`, or the variable for prefixed ones). */
  name: string;
  /** The environment variable holding the key. */
  variable: string;
  /** Lower-case hosts (see `credentialEntrySchema`). */
  hosts: readonly string[];
  /** Where it was declared (`confs/credentials.yaml`, `LLMOPS_PROVIDER_KEY_X_HOSTS`, `built-in`). */
  source: string;
}

/** What a spec asks for: the key in `variable`, sent to `url`; `field` names the spec field for errors. */
export interface CredentialRequest {
  variable: string;
  url: string;
  field: string;
}

function hostAllows(entry: string, url: URL): boolean {
  const hostname = url.hostname.toLowerCase();
  const withPort = entry.includes(':') && !entry.endsWith(']');
  const target = withPort ? `${hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}` : hostname;
  if (entry.startsWith('*.')) {
    const suffix = entry.slice(1);
    return target.endsWith(suffix) && target.length > suffix.length;
  }
  return target === entry;
}

function parseUrl(request: CredentialRequest): URL {
  try {
    return new URL(request.url);
  } catch {
    throw new LlmopsError('invalid_input', `${request.field}: the endpoint ${request.url} is not a valid URL`);
  }
}

/**
 * The provider keys a deployment allows, each bound to the hosts it may be sent to. Declared by `confs/credentials.yaml`
 * (name → `env`, `hosts`), by `LLMOPS_PROVIDER_KEY_<NAME>` variables with their `LLMOPS_PROVIDER_KEY_<NAME>_HOSTS`
 * (comma-separated), and built in: `OPENAI_API_KEY` for `api.openai.com` only. A model spec's `apiKeyEnv` (and a
 * moderation endpoint's, and an agent HTTP tool's `auth.env`) must name one of these variables, for a URL on one of its
 * hosts; anything else is refused at registration and again before any request is sent.
 */
export class ProviderCredentials {
  private readonly byVariable: ReadonlyMap<string, ProviderCredential>;

  private constructor(credentials: readonly ProviderCredential[]) {
    this.byVariable = new Map(credentials.map((credential) => [credential.variable, credential]));
  }

  /**
   * The credentials of a deployment: the built-in OpenAI one, those of prefixed variables in `env`, and those of a
   * credentials file (which may re-declare `OPENAI_API_KEY` with other hosts).
   * @throws LlmopsError `invalid_input` for a `_HOSTS` variable whose hosts are malformed (the variable named).
   */
  static from(options: {
    env: Record<string, string | undefined>;
    file?: CredentialsFile;
    fileName?: string;
  }): ProviderCredentials {
    const credentials: ProviderCredential[] = [
      { name: 'openai', variable: defaultProviderKeyVariable, hosts: ['api.openai.com'], source: 'built-in' },
    ];
    for (const [variable, value] of Object.entries(options.env)) {
      if (!variable.startsWith(providerKeyPrefix) || variable.endsWith(providerKeyHostsSuffix)) continue;
      if (value === undefined) continue;
      const hostsVariable = `${variable}${providerKeyHostsSuffix}`;
      const hostsText = options.env[hostsVariable] ?? '';
      const hosts: string[] = [];
      for (const host of hostsText.split(',').filter((part) => part.trim() !== '')) {
        const parsed = hostSchema.safeParse(host);
        if (!parsed.success)
          throw new LlmopsError(
            'invalid_input',
            `${hostsVariable}: "${host.trim().slice(0, 80)}" is not a host; expected hosts such as api.example.com or 127.0.0.1:8000, comma-separated`,
          );
        hosts.push(parsed.data);
      }
      credentials.push({ name: variable, variable, hosts, source: hostsVariable });
    }
    for (const [name, entry] of Object.entries(options.file?.credentials ?? {})) {
      credentials.push({
        name,
        variable: entry.env,
        hosts: entry.hosts,
        source: options.fileName ?? 'confs/credentials.yaml',
      });
    }
    return new ProviderCredentials(credentials);
  }

  /** The declared credentials, by variable. */
  list(): ProviderCredential[] {
    return [...this.byVariable.values()];
  }

  /** True when the key in `variable` may be sent to `url` (never for a variable no credential may name). */
  allows(variable: string, url: string): boolean {
    const credential = this.byVariable.get(variable);
    if (!credential || isNeverNamedVariable(variable)) return false;
    try {
      const parsed = new URL(url);
      return credential.hosts.some((host) => hostAllows(host, parsed));
    } catch {
      return false;
    }
  }

  /**
   * Checks that a spec may send the key of `variable` to `url`: the variable is a declared credential, not one of the
   * deployment's own secrets, and the URL's host is one the credential is bound to.
   * @throws LlmopsError `invalid_input` naming the field, the variable and what is allowed; never a value.
   */
  check(request: CredentialRequest): ProviderCredential {
    const { variable, field } = request;
    if (isNeverNamedVariable(variable)) {
      throw new LlmopsError(
        'invalid_input',
        `${field}: ${variable} holds a secret of the deployment itself (admin token, store or collector credentials) and can never be sent to a provider`,
      );
    }
    const credential = this.byVariable.get(variable);
    if (!credential) {
      throw new LlmopsError(
        'invalid_input',
        `${field}: ${variable} is not a declared provider credential; declare it in confs/credentials.yaml (env and hosts) or name a variable ${providerKeyPrefix}<NAME> with ${providerKeyPrefix}<NAME>${providerKeyHostsSuffix}`,
      );
    }
    const url = parseUrl(request);
    if (!credential.hosts.some((host) => hostAllows(host, url))) {
      const allowed = credential.hosts.length > 0 ? credential.hosts.join(', ') : 'no host';
      throw new LlmopsError(
        'invalid_input',
        `${field}: ${variable} may be sent only to ${allowed} (declared by ${credential.source}), not to ${url.host}`,
      );
    }
    return credential;
  }
}
