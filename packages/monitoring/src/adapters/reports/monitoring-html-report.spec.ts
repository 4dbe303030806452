import { LlmopsError } from '@llmops/kernel';
import { requestEvent } from '../../__fixtures__/request-events.js';
import { summarizeEvents } from '../../domain/event-summary.js';
import { buildEventTimeSeries } from '../../domain/event-time-series.js';
import { jsonForScript } from './html-markup.js';
import { renderMonitoringHtmlReport } from './monitoring-html-report.js';
import type { MonitoringHtmlReportInput } from './monitoring-html-report.js';

const now = Date.UTC(2026, 10, 29, 12, 0, 0);
const hostile = '</script><img src=x onerror=alert(1)>';
const chartLibrary = { source: 'uplot.js', script: 'window.uPlot = function () {};', css: '.u-legend{}' };

function input(overrides: Partial<MonitoringHtmlReportInput> = {}): MonitoringHtmlReportInput {
  const events = [
    requestEvent({ at: now - 5 * 60_000, latencyMs: 100 }),
    requestEvent({
      at: now - 2 * 60_000,
      latencyMs: 300,
      status: 400,
      errorCode: 'guardrail_blocked',
      guardrails: [{ side: 'input', category: hostile, action: 'block' }],
    }),
  ];
  return {
    report: {
      from: new Date(now - 600_000).toISOString(),
      to: new Date(now).toISOString(),
      requests: 2,
      models: summarizeEvents(events),
      series: {
        bucketMs: 60_000,
        buckets: buildEventTimeSeries(events, { from: now - 600_000, to: now + 1 }),
      },
    },
    model: 'support-rag@champion',
    slo: null,
    drift: null,
    chartLibrary,
    ...overrides,
  };
}

describe('renderMonitoringHtmlReport', () => {
  it('escapes every value taken from the events', () => {
    const html = renderMonitoringHtmlReport(input());

    expect(html).not.toContain(hostile);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;: 1');
    expect(html).toContain('<td>support-rag/3</td>');
  });

  it('embeds the buckets as JSON the page reads back unchanged', () => {
    const html = renderMonitoringHtmlReport(input());
    const json = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html)?.[1] ?? '';
    const data = JSON.parse(json) as { at: number[]; series: { requests: number[]; latencyP95Ms: unknown[] } };

    expect(data.at).toHaveLength(11);
    expect(data.series.requests.reduce((sum, value) => sum + value, 0)).toBe(2);
    expect(data.series.latencyP95Ms.filter((value) => value !== null)).toEqual([100, 300]);
  });

  it('says plainly when there is no conf and no traffic to measure drift on', () => {
    const html = renderMonitoringHtmlReport(input());

    expect(html).toContain('No monitoring conf: no objective was evaluated.');
    expect(html).toContain('No traffic in the window: drift was not measured.');
  });

  it('refuses a chart library that would end its own element', () => {
    const broken = { ...chartLibrary, script: 'var end = "</SCRIPT>";' };

    expect(() => renderMonitoringHtmlReport(input({ chartLibrary: broken }))).toThrow(LlmopsError);
    expect(() => renderMonitoringHtmlReport(input({ chartLibrary: { ...chartLibrary, css: '</style>' } }))).toThrow(
      /cannot be inlined in a <style>/,
    );
  });
});

describe('jsonForScript', () => {
  it('writes no markup and reads back unchanged', () => {
    const value = { text: `${hostile} <!-- & \u2028\u2029` };
    const json = jsonForScript(value);

    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});
