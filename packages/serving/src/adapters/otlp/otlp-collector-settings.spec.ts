import { LlmopsError } from '@llmops/kernel';
import { otlpCollectorSettingsFromEnv, parseOtlpHeaders } from './otlp-collector-settings.js';

describe('otlpCollectorSettingsFromEnv', () => {
  it('is undefined when no endpoint is set', () => {
    expect(otlpCollectorSettingsFromEnv({})).toBeUndefined();
    expect(otlpCollectorSettingsFromEnv({ LLMOPS_OTLP_ENDPOINT: '  ' })).toBeUndefined();
  });

  it('reads LLMOPS_OTLP_ENDPOINT with LLMOPS_OTLP_HEADERS in the OTEL_EXPORTER_OTLP_HEADERS form', () => {
    expect(
      otlpCollectorSettingsFromEnv({
        LLMOPS_OTLP_ENDPOINT: 'https://collector.example:4318/v1/traces',
        LLMOPS_OTLP_HEADERS: 'Authorization=Bearer%20s3cret, x-tenant = blue ,',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://other:4318/v1/traces',
      }),
    ).toEqual({
      url: 'https://collector.example:4318/v1/traces',
      headers: { authorization: 'Bearer s3cret', 'x-tenant': 'blue' },
    });
  });

  it("falls back to OpenTelemetry's standard traces endpoint and headers", () => {
    expect(
      otlpCollectorSettingsFromEnv({
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://otel:4318/v1/traces',
        OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc',
      }),
    ).toEqual({ url: 'http://otel:4318/v1/traces', headers: { 'api-key': 'abc' } });
    expect(
      otlpCollectorSettingsFromEnv({
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://otel:4318/v1/traces',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'api-key=traces',
        OTEL_EXPORTER_OTLP_HEADERS: 'api-key=all',
      })?.headers,
    ).toEqual({ 'api-key': 'traces' });
  });

  it('refuses an endpoint that is not an http(s) URL, naming the variable', () => {
    expect(() => otlpCollectorSettingsFromEnv({ LLMOPS_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /LLMOPS_OTLP_ENDPOINT is not an http or https URL/,
    );
    expect(() => otlpCollectorSettingsFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'not a url' })).toThrow(
      /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is not a URL/,
    );
  });

  it("refuses OpenTelemetry's header variables beside LLMOPS_OTLP_ENDPOINT (the exporter would send them there), never echoing them", () => {
    for (const variable of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS']) {
      const attempt = () =>
        otlpCollectorSettingsFromEnv({
          LLMOPS_OTLP_ENDPOINT: 'http://collector.internal:4318/v1/traces',
          [variable]: 'authorization=Bearer other-vendor-secret',
        });
      expect(attempt).toThrow(`${variable} is set together with LLMOPS_OTLP_ENDPOINT`);
      expect(attempt).not.toThrow(/other-vendor-secret/);
    }
  });

  it('refuses headers without an endpoint', () => {
    expect(() => otlpCollectorSettingsFromEnv({ LLMOPS_OTLP_HEADERS: 'a=b' })).toThrow(
      /LLMOPS_OTLP_HEADERS is set but LLMOPS_OTLP_ENDPOINT is not/,
    );
  });
});

describe('parseOtlpHeaders', () => {
  it('refuses a malformed pair by its position, never echoing a value', () => {
    let caught: unknown;
    try {
      parseOtlpHeaders('authorization=Bearer top-secret,top-secret-too', 'LLMOPS_OTLP_HEADERS');
    } catch (error) {
      caught = error;
    }
    expect(LlmopsError.isInstance(caught) && caught.code).toBe('invalid_input');
    expect((caught as Error).message).toMatch(/LLMOPS_OTLP_HEADERS: pair 2 is not key=value/);
    expect((caught as Error).message).not.toContain('secret');
    expect(() => parseOtlpHeaders('key=%zz-secret', 'V')).toThrow(/V: the value of pair 1 has a malformed %-escape/);
    expect(() => parseOtlpHeaders('bad key=x', 'V')).toThrow(/pair 1/);
  });

  it('keeps the text after the first = (values may contain =)', () => {
    expect(parseOtlpHeaders('authorization=Basic dXNlcjpwYXNz==', 'V')).toEqual({
      authorization: 'Basic dXNlcjpwYXNz==',
    });
  });
});
