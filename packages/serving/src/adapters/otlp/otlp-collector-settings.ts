import { LlmopsError } from '@llmops/kernel';

/** The environment variables that send served traces to an OTLP collector as well. */
export const otlpCollectorEnv = {
  /** The collector's OTLP/HTTP traces URL, used as given (for example `http://collector:4318/v1/traces`). */
  endpoint: 'LLMOPS_OTLP_ENDPOINT',
  /** Headers for that endpoint only, as `key=value,key2=value2` (values may be percent-encoded). */
  headers: 'LLMOPS_OTLP_HEADERS',
  /** OpenTelemetry's standard traces endpoint, used when `LLMOPS_OTLP_ENDPOINT` is not set. */
  standardEndpoint: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  /** OpenTelemetry's standard headers, used with the standard endpoint when `LLMOPS_OTLP_HEADERS` is not set. */
  standardTracesHeaders: 'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
  standardHeaders: 'OTEL_EXPORTER_OTLP_HEADERS',
} as const;

/** Where the collector is and what to send it. */
export interface OtlpCollectorSettings {
  /** The OTLP/HTTP traces URL. */
  url: string;
  /** Sent with every export to `url`, and nowhere else. */
  headers: Record<string, string>;
}

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * Parses headers in the form of `OTEL_EXPORTER_OTLP_HEADERS`: `key=value` pairs separated by
 * commas, blanks around them ignored, values percent-decoded. Error messages name the variable and
 * the pair's position, never a value (header values are often secrets).
 * @throws LlmopsError `invalid_input` for a pair without `=`, a key that is not an HTTP header name, or a bad escape.
 */
export function parseOtlpHeaders(text: string, variable: string): Record<string, string> {
  const headers: Record<string, string> = {};
  text.split(',').forEach((pair, index) => {
    if (pair.trim() === '') return;
    const equals = pair.indexOf('=');
    const key = equals < 0 ? '' : pair.slice(0, equals).trim();
    if (!headerName.test(key)) {
      throw new LlmopsError(
        'invalid_input',
        `${variable}: pair ${index + 1} is not key=value with an HTTP header name as key (expected key=value,key2=value2)`,
      );
    }
    try {
      headers[key.toLowerCase()] = decodeURIComponent(pair.slice(equals + 1).trim());
    } catch {
      throw new LlmopsError('invalid_input', `${variable}: the value of pair ${index + 1} has a malformed %-escape`);
    }
  });
  return headers;
}

function checkUrl(value: string, variable: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new LlmopsError('invalid_input', `${variable} is not a URL (expected http(s)://host:port/v1/traces)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new LlmopsError(
      'invalid_input',
      `${variable} is not an http or https URL (expected http(s)://host:port/v1/traces)`,
    );
  return url.href;
}

/**
 * The OTLP collector a deployment configured: `LLMOPS_OTLP_ENDPOINT` with `LLMOPS_OTLP_HEADERS`,
 * else OpenTelemetry's `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` with `LLMOPS_OTLP_HEADERS` or the
 * standard header variables; `undefined` when no endpoint is set.
 * @throws LlmopsError `invalid_input` for an endpoint that is not an http(s) URL, malformed headers, headers without an
 * endpoint, or OpenTelemetry's header variables beside `LLMOPS_OTLP_ENDPOINT`.
 */
export function otlpCollectorSettingsFromEnv(
  env: Record<string, string | undefined>,
): OtlpCollectorSettings | undefined {
  const own = present(env[otlpCollectorEnv.endpoint]);
  const standard = present(env[otlpCollectorEnv.standardEndpoint]);
  const ownHeaders = present(env[otlpCollectorEnv.headers]);
  if (own === undefined && standard === undefined) {
    if (ownHeaders !== undefined) {
      throw new LlmopsError(
        'invalid_input',
        `${otlpCollectorEnv.headers} is set but ${otlpCollectorEnv.endpoint} is not: set the collector's endpoint too`,
      );
    }
    return undefined;
  }
  if (own !== undefined) {
    // OpenTelemetry's exporter adds the standard header variables to whatever endpoint it is given: with
    // our own endpoint set, they would reach a host they were not meant for, so that is refused.
    for (const variable of [otlpCollectorEnv.standardHeaders, otlpCollectorEnv.standardTracesHeaders]) {
      if (present(env[variable]) !== undefined) {
        throw new LlmopsError(
          'invalid_input',
          `${variable} is set together with ${otlpCollectorEnv.endpoint}: OpenTelemetry would send those headers to ${otlpCollectorEnv.endpoint}; put them in ${otlpCollectorEnv.headers}, or use OpenTelemetry's variables alone`,
        );
      }
    }
    return {
      url: checkUrl(own, otlpCollectorEnv.endpoint),
      headers: ownHeaders === undefined ? {} : parseOtlpHeaders(ownHeaders, otlpCollectorEnv.headers),
    };
  }
  const headerVariable =
    ownHeaders !== undefined
      ? otlpCollectorEnv.headers
      : present(env[otlpCollectorEnv.standardTracesHeaders]) !== undefined
        ? otlpCollectorEnv.standardTracesHeaders
        : otlpCollectorEnv.standardHeaders;
  const headerText = present(env[headerVariable]);
  return {
    url: checkUrl(standard as string, otlpCollectorEnv.standardEndpoint),
    headers: headerText === undefined ? {} : parseOtlpHeaders(headerText, headerVariable),
  };
}
