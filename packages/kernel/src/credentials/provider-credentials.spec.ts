import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LlmopsError } from '../errors/llmops-error.js';
import { loadProviderCredentials } from './load-provider-credentials.js';
import { isNeverNamedVariable, ProviderCredentials } from './provider-credentials.js';

function refusal(work: () => unknown): LlmopsError {
  try {
    work();
  } catch (error) {
    if (LlmopsError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('provider credentials', () => {
  const env = {
    OPENAI_API_KEY: 'sk-openai',
    LLMOPS_PROVIDER_KEY_OLLAMA: 'ollama-secret',
    LLMOPS_PROVIDER_KEY_OLLAMA_HOSTS: '127.0.0.1:11434, Ollama.internal',
    LLMOPS_PROVIDER_KEY_NOHOSTS: 'x',
    LLMOPS_ADMIN_TOKEN: 'admin-secret',
    PGPASSWORD: 'pg-secret',
  };
  const credentials = ProviderCredentials.from({ env });

  it("allows OpenAI's key for api.openai.com only, built in", () => {
    expect(credentials.allows('OPENAI_API_KEY', 'https://api.openai.com/v1')).toBe(true);
    expect(credentials.allows('OPENAI_API_KEY', 'http://127.0.0.1:9999/v1')).toBe(false);
  });

  it('allows a prefixed key for the hosts (and ports) of its _HOSTS variable', () => {
    expect(credentials.allows('LLMOPS_PROVIDER_KEY_OLLAMA', 'http://127.0.0.1:11434/v1')).toBe(true);
    expect(credentials.allows('LLMOPS_PROVIDER_KEY_OLLAMA', 'http://127.0.0.1:11435/v1')).toBe(false);
    expect(credentials.allows('LLMOPS_PROVIDER_KEY_OLLAMA', 'https://ollama.internal/v1')).toBe(true);
    expect(
      credentials.check({ variable: 'LLMOPS_PROVIDER_KEY_OLLAMA', url: 'http://ollama.internal:8080', field: 'f' }),
    ).toMatchObject({ source: 'LLMOPS_PROVIDER_KEY_OLLAMA_HOSTS' });
  });

  it.each([
    ['LLMOPS_ADMIN_TOKEN', /provider\.apiKeyEnv: LLMOPS_ADMIN_TOKEN holds a secret of the deployment itself/],
    ['PGPASSWORD', /PGPASSWORD holds a secret of the deployment itself/],
    ['REDIS_URL', /REDIS_URL holds a secret/],
    ['MLFLOW_TRACKING_TOKEN', /MLFLOW_TRACKING_TOKEN holds a secret/],
    ['HOME', /provider\.apiKeyEnv: HOME is not a declared provider credential; declare it in confs\/credentials\.yaml/],
    ['LLMOPS_PROVIDER_KEY_NOHOSTS', /may be sent only to no host \(declared by LLMOPS_PROVIDER_KEY_NOHOSTS_HOSTS\)/],
    [
      'OPENAI_API_KEY',
      /provider\.apiKeyEnv: OPENAI_API_KEY may be sent only to api\.openai\.com \(declared by built-in\), not to 127\.0\.0\.1:9/,
    ],
  ])('refuses %s for a capture server, naming the field and never a value', (variable, message) => {
    const error = refusal(() =>
      credentials.check({ variable, url: 'http://127.0.0.1:9/v1', field: 'provider.apiKeyEnv' }),
    );
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(message);
    for (const value of Object.values(env)) expect(error.message).not.toContain(value);
  });

  it('names no variable of the deployment itself as a credential, even a declared one', () => {
    for (const variable of ['LLMOPS_ADMIN_TOKEN', 'LLMOPS_STORE', 'PGPASSWORD', 'PGUSER', 'DATABASE_URL', 'REDIS_URL'])
      expect([variable, isNeverNamedVariable(variable)]).toEqual([variable, true]);
    expect(isNeverNamedVariable('LLMOPS_PROVIDER_KEY_X')).toBe(false);
    expect(isNeverNamedVariable('OPENAI_API_KEY')).toBe(false);
  });

  it('refuses a malformed _HOSTS variable, naming it', () => {
    const error = refusal(() =>
      ProviderCredentials.from({ env: { LLMOPS_PROVIDER_KEY_X: 'k', LLMOPS_PROVIDER_KEY_X_HOSTS: 'http://evil/' } }),
    );
    expect(error.message).toMatch(/^LLMOPS_PROVIDER_KEY_X_HOSTS: "http:\/\/evil\/" is not a host/);
  });

  it('matches *.domain against subdomains only', () => {
    const azure = ProviderCredentials.from({
      env: {},
      file: { credentials: { azure: { env: 'AZURE_OPENAI_API_KEY', hosts: ['*.openai.azure.com'] } } },
    });
    expect(azure.allows('AZURE_OPENAI_API_KEY', 'https://mine.openai.azure.com/openai/v1')).toBe(true);
    expect(azure.allows('AZURE_OPENAI_API_KEY', 'https://openai.azure.com/v1')).toBe(false);
    expect(azure.allows('AZURE_OPENAI_API_KEY', 'https://evil-openai.azure.com.example/v1')).toBe(false);
  });
});

describe('loadProviderCredentials', () => {
  function workspace(credentialsYaml?: string): string {
    const root = mkdtempSync(join(tmpdir(), 'llmops-credentials-'));
    mkdirSync(join(root, 'confs'));
    if (credentialsYaml !== undefined) writeFileSync(join(root, 'confs', 'credentials.yaml'), credentialsYaml);
    return root;
  }

  it("loads the shipped confs/credentials.yaml: OpenAI's key for api.openai.com only", () => {
    const credentials = loadProviderCredentials({ root: resolve(__dirname, '../../../..'), env: {} });
    expect(credentials.allows('OPENAI_API_KEY', 'https://api.openai.com/v1')).toBe(true);
    expect(credentials.allows('OPENAI_API_KEY', 'http://127.0.0.1:11434/v1')).toBe(false);
  });

  it('reads confs/credentials.yaml when present', () => {
    const root = workspace('credentials:\n  azure:\n    env: AZURE_KEY\n    hosts: [my.openai.azure.com]\n');
    const credentials = loadProviderCredentials({ root, env: {} });
    expect(credentials.allows('AZURE_KEY', 'https://my.openai.azure.com/v1')).toBe(true);
    expect(credentials.list().map((credential) => credential.source)).toEqual(['built-in', 'confs/credentials.yaml']);
  });

  it('refuses a file declaring the admin token or a store credential, naming file, line and field', () => {
    const root = workspace('credentials:\n  admin:\n    env: LLMOPS_ADMIN_TOKEN\n    hosts: [127.0.0.1]\n');
    expect(() => loadProviderCredentials({ root, env: {} })).toThrow(
      /confs\/credentials\.yaml:3.*credentials\.admin\.env.*names a variable of the deployment itself/s,
    );
  });

  it('refuses a credentials file that is a link out of the workspace', () => {
    const root = workspace();
    const outside = mkdtempSync(join(tmpdir(), 'llmops-outside-'));
    writeFileSync(join(outside, 'c.yaml'), 'credentials: {}\n');
    symlinkSync(join(outside, 'c.yaml'), join(root, 'confs', 'credentials.yaml'));
    expect(() => loadProviderCredentials({ root, env: {} })).toThrow(
      /credentials file confs\/credentials\.yaml is outside/,
    );
  });
});
