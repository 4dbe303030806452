// The llmops dashboard: reads GET /api/v1/dashboard every few seconds and draws tables and uPlot charts.
// Served under a Content-Security-Policy without inline scripts; every text goes in through textContent.
(function dashboard() {
  'use strict';

  const refreshMs = 5000;
  const statusElement = document.getElementById('status');
  const sinceElement = document.getElementById('since');

  /** Chart definitions: the element, and the series taken from each time bucket. */
  const chartDefinitions = {
    requests: {
      element: 'chart-requests',
      series: [
        { label: 'requests', value: (bucket) => bucket.requests, stroke: '#2f6fde' },
        { label: 'errors', value: (bucket) => bucket.errors, stroke: '#b42318' },
        { label: 'guardrail blocks', value: (bucket) => bucket.guardrailBlocks, stroke: '#a15c00' },
      ],
    },
    latency: {
      element: 'chart-latency',
      series: [
        { label: 'p50 ms', value: (bucket) => bucket.latencyP50Ms, stroke: '#2f6fde' },
        { label: 'p95 ms', value: (bucket) => bucket.latencyP95Ms, stroke: '#b42318' },
      ],
    },
    tokens: {
      element: 'chart-tokens',
      series: [
        { label: 'input', value: (bucket) => bucket.inputTokens, stroke: '#2f6fde' },
        { label: 'output', value: (bucket) => bucket.outputTokens, stroke: '#1a7f37' },
      ],
    },
    cost: {
      element: 'chart-cost',
      series: [{ label: 'USD', value: (bucket) => bucket.costUsd, stroke: '#6b3fa0' }],
    },
    cache: {
      element: 'chart-cache',
      series: [
        { label: 'hits', value: (bucket) => bucket.cacheHits, stroke: '#1a7f37' },
        { label: 'lookups', value: (bucket) => bucket.cacheLookups, stroke: '#5b6574' },
      ],
    },
  };

  /** What the page holds, for a reader (and the end-to-end test) to inspect. */
  const state = { charts: {}, data: null, refreshes: 0 };
  window.llmopsDashboard = state;

  function element(tag, text, className) {
    const created = document.createElement(tag);
    if (text !== undefined && text !== null) created.textContent = String(text);
    if (className) created.className = className;
    return created;
  }

  function time(ms) {
    return ms === null || ms === undefined ? '' : new Date(ms).toLocaleString();
  }

  function number(value, digits) {
    if (value === null || value === undefined || Number.isNaN(value)) return '-';
    return digits === undefined ? String(value) : value.toFixed(digits);
  }

  function fillTable(id, rows, emptyText) {
    fillBody(document.querySelector(`#${id} tbody`), rows, emptyText);
  }

  function fillBody(body, rows, emptyText) {
    const columns = body.parentElement.querySelectorAll('thead th').length;
    body.replaceChildren();
    if (rows.length === 0) {
      const row = element('tr');
      const cell = element('td', emptyText, 'empty');
      cell.colSpan = columns;
      row.append(cell);
      body.append(row);
      return;
    }
    for (const cells of rows) {
      const row = element('tr');
      for (const cell of cells) row.append(cell instanceof Node ? wrap(cell) : element('td', cell));
      body.append(row);
    }
  }

  /** A table with these column headers and rows (built here, for sections repeated per model). */
  function table({ className, headers, rows, emptyText }) {
    const created = element('table', null, className);
    const head = element('thead');
    const headRow = element('tr');
    for (const header of headers) headRow.append(element('th', header));
    head.append(headRow);
    const body = element('tbody');
    created.append(head, body);
    fillBody(body, rows, emptyText);
    return created;
  }

  function wrap(node) {
    if (node.tagName === 'TD') return node;
    const cell = element('td');
    cell.append(node);
    return cell;
  }

  function aliasBadges(aliases) {
    const cell = element('td');
    for (const alias of aliases) cell.append(element('span', alias, `alias ${alias}`));
    return cell;
  }

  function verdict(passed) {
    return element('span', passed ? 'passed' : 'failed', passed ? 'passed' : 'failed');
  }

  function renderModels(models) {
    const rows = [];
    for (const model of models) {
      for (const version of model.versions) {
        const evidence = version.evidence.map((link) => `${link.dataset}: ${link.verdict}`).join(', ');
        rows.push([
          model.name,
          version.version,
          aliasBadges(version.aliases),
          version.provider,
          version.pipeline,
          time(version.createdAt),
          evidence || '-',
        ]);
      }
    }
    fillTable('models', rows, 'no model registered');
  }

  function renderEvaluations(runs) {
    fillTable(
      'evaluations',
      runs.map((run) => [
        time(run.startedAt),
        run.target,
        run.dataset,
        run.examples,
        run.status,
        run.gate ? verdict(run.gate.passed) : '-',
        run.gate
          ? run.gate.verdicts
              .map((item) => `${item.passed ? 'pass' : 'FAIL'} ${item.criterion} (${number(item.value, 3)})`)
              .join('; ')
          : 'no gate',
      ]),
      'no evaluation run yet',
    );
  }

  function renderTraffic(byVersion) {
    fillTable(
      'traffic',
      byVersion.map((summary) => [
        summary.modelVersion === null ? summary.modelName : `${summary.modelName}/${summary.modelVersion}`,
        summary.requests,
        summary.errors,
        number(summary.latencyMs.p50, 1),
        number(summary.latencyMs.p95, 1),
        summary.inputTokens,
        summary.outputTokens,
        number(summary.costUsd, 6),
        summary.refusals,
      ]),
      'no request served in the window',
    );
  }

  function renderAlerts(alerts) {
    fillTable(
      'alerts',
      alerts.map((alert) => [
        time(alert.at),
        alert.rule,
        alert.severity,
        alert.model ?? '-',
        `${alert.signal.source}:${alert.signal.name} ${number(alert.signal.value, 3)} (threshold ${number(alert.signal.threshold, 3)})`,
        alert.actions.map((outcome) => `${outcome.action}: ${outcome.status}`).join(', ') || '-',
        alert.dryRun ? `${alert.status} (dry run)` : alert.status,
      ]),
      'no alert fired in the window (alert rules run in kind: monitor jobs)',
    );
  }

  /** How a feature's value is compared with its threshold (the classifier's AUC strictly above it). */
  function comparison(feature) {
    if (feature.thresholdOn === 'p_value') return 'p <';
    return feature.method === 'domain_classifier' ? '>' : '>=';
  }

  function significant(value) {
    return value === null || value === undefined ? '-' : String(Number(value.toPrecision(4)));
  }

  function renderDrift(drift) {
    const summary = document.getElementById('drift-summary');
    summary.replaceChildren();
    if (!drift) {
      summary.append(element('span', 'no request in the last hour: drift not measured', 'empty'));
      fillTable('drift', [], 'no traffic to compare');
      return;
    }
    const share =
      drift.driftShare === null
        ? 'no feature had enough data'
        : `${drift.driftedFeatures} of ${drift.testedFeatures} tested features drifted`;
    summary.append(
      'verdict ',
      element('span', drift.verdict, `verdict ${drift.verdict}`),
      ` (${share}): every model, ${time(Date.parse(drift.current.from))} to ${time(Date.parse(drift.current.to))} ` +
        `(${drift.current.events} requests) against the window before it (${drift.reference.events} requests)`,
    );
    fillTable('drift', featureRows(drift.features), 'no feature to compare');
  }

  const featureHeaders = ['feature', 'kind', 'method', 'reference', 'current', 'statistic', 'p-value', 'threshold'];

  function featureRows(features) {
    return features.map((feature) => [
      feature.name,
      feature.kind,
      feature.method ?? '-',
      feature.referenceSize,
      feature.currentSize,
      significant(feature.statistic),
      feature.pValue === null ? '-' : feature.pValue.toExponential(2),
      feature.threshold === null ? '-' : `${comparison(feature)} ${significant(feature.threshold)}`,
      element(
        'span',
        feature.reason ? `${feature.verdict}: ${feature.reason}` : feature.verdict,
        `verdict ${feature.verdict}`,
      ),
    ]);
  }

  function percent(ratio) {
    return `${Number((ratio * 100).toFixed(1))}%`;
  }

  /** A model's unanswered topics: the rule, then one row per topic (or why none was judged). */
  function unansweredTopics(found) {
    const { minCurrentEvents, minRefusalShare, pValueThreshold } = found.rule;
    const caption = element(
      'p',
      `Unanswered topics (at least ${minCurrentEvents} requests, refused ≥ ${percent(minRefusalShare)}, ` +
        `a rise with p < ${pValueThreshold}): ${found.topics.length} of ${found.examinedTopics} judged` +
        (found.reason ? `; ${found.reason}` : ''),
      'topics-summary',
    );
    const rows = found.topics.map((topic) => [
      element('span', topic.topic, 'topic unanswered'),
      topic.currentEvents,
      percent(topic.currentShare),
      `${percent(topic.referenceShare)} of ${topic.referenceEvents}${topic.basis === 'window' ? ' (all topics)' : ''}`,
      topic.pValue.toExponential(2),
    ]);
    const topicTable = table({
      className: 'unanswered-topics',
      headers: ['topic', 'requests', 'refused', 'refused before', 'p-value'],
      rows,
      emptyText: 'no unanswered topic',
    });
    return [caption, topicTable];
  }

  function renderModelDrift(reports) {
    const container = document.getElementById('model-drift');
    container.replaceChildren();
    if (reports.length === 0) {
      container.append(element('p', 'no request in the last hour: drift not measured', 'empty'));
      return;
    }
    for (const report of reports) {
      const article = element('article', null, 'model-drift');
      article.dataset.model = report.model.name;
      const share =
        report.driftShare === null
          ? 'no feature had enough data'
          : `${report.driftedFeatures} of ${report.testedFeatures} tested features drifted`;
      const summary = element('p');
      summary.append(
        'verdict ',
        element('span', report.verdict, `verdict ${report.verdict}`),
        ` (${share}): ${report.current.events} requests against ${report.reference.events} in the window before`,
      );
      article.append(
        element('h3', report.model.name),
        summary,
        table({
          className: 'drift-features',
          headers: [...featureHeaders, 'verdict'],
          rows: featureRows(report.features),
          emptyText: 'no feature to compare',
        }),
      );
      if (report.unansweredTopics) article.append(...unansweredTopics(report.unansweredTopics));
      container.append(article);
    }
  }

  function chartData(definition, series) {
    return [series.map((bucket) => bucket.at / 1000), ...definition.series.map((line) => series.map(line.value))];
  }

  function chartWidth(container) {
    return Math.max(320, container.clientWidth || 440);
  }

  function renderCharts(series) {
    for (const [name, definition] of Object.entries(chartDefinitions)) {
      const container = document.getElementById(definition.element);
      const data = chartData(definition, series);
      let chart = state.charts[name];
      if (!chart) {
        chart = new window.uPlot(
          {
            width: chartWidth(container),
            height: 200,
            scales: { x: { time: true } },
            // Points as well as lines: a minute with traffic between empty (null) minutes is still seen.
            series: [
              {},
              ...definition.series.map((line) => ({
                label: line.label,
                stroke: line.stroke,
                width: 2,
                points: { show: true, size: 5 },
              })),
            ],
          },
          data,
          container,
        );
        state.charts[name] = chart;
      } else {
        chart.setData(data);
      }
      // How many buckets hold a value, per series: what a reader (or a test) can check without the canvas.
      container.dataset.points = data
        .slice(1)
        .map((values) => values.filter((value) => value !== null && value !== 0).length)
        .join(',');
    }
    const lookups = series.reduce((sum, bucket) => sum + bucket.cacheLookups, 0);
    document.getElementById('cache-note').textContent =
      lookups === 0 ? 'No cache lookups in the window: no version served here has the response cache on.' : '';
    const priced = series.some((bucket) => bucket.costUsd !== null);
    document.getElementById('cost-note').textContent = priced
      ? ''
      : 'No priced request in the window: the models served have no price in the pricing table (offline models cost nothing).';
  }

  function render(data) {
    state.data = data;
    renderModels(data.models);
    renderEvaluations(data.evaluations);
    renderTraffic(data.traffic.byVersion);
    renderAlerts(data.alerts);
    renderDrift(data.drift);
    renderModelDrift(data.driftByModel);
    renderCharts(data.traffic.series);
    state.refreshes += 1;
    document.body.dataset.refreshes = String(state.refreshes);
    statusElement.className = '';
    statusElement.textContent = `updated ${new Date(data.generatedAt).toLocaleTimeString()}, refreshes every ${refreshMs / 1000} s`;
  }

  let timer;
  // The data needs a reader or admin API key: given once as `/dashboard#key=llmops-…` (a fragment never reaches the
  // server or its logs) or typed when asked, and kept for this tab only.
  const keyStorage = 'llmops-admin-key';
  // A dismissed prompt is not shown again by the refreshes (it came back as a modal every 5 s): reloading asks again.
  let keyPromptDismissed = false;
  function adminKey() {
    const fromFragment = new URLSearchParams(location.hash.slice(1)).get('key');
    if (fromFragment) {
      sessionStorage.setItem(keyStorage, fromFragment);
      history.replaceState(null, '', location.pathname + location.search);
    }
    return sessionStorage.getItem(keyStorage);
  }
  function askAdminKey() {
    if (keyPromptDismissed) return false;
    const typed = window.prompt('A reader or admin API key (llmops keys create --role reader):');
    if (!typed) keyPromptDismissed = true;
    if (!typed || typed.trim() === sessionStorage.getItem(keyStorage)) return false;
    sessionStorage.setItem(keyStorage, typed.trim());
    return true;
  }

  async function refresh() {
    clearTimeout(timer);
    try {
      const key = adminKey();
      const response = await fetch(`/api/v1/dashboard?since=${encodeURIComponent(sinceElement.value)}`, {
        headers: { accept: 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      });
      if ((response.status === 401 || response.status === 403) && askAdminKey()) return refresh();
      const body = await response.json();
      if (!response.ok) {
        const message = body && body.error ? body.error.message : `HTTP ${response.status}`;
        const again = response.status === 401 || response.status === 403 ? ' (reload the page to type a key)' : '';
        throw new Error(message + again);
      }
      render(body);
    } catch (error) {
      statusElement.className = 'error';
      statusElement.textContent = `could not load the dashboard's data: ${error.message}`;
    } finally {
      timer = setTimeout(refresh, refreshMs);
    }
  }

  sinceElement.addEventListener('change', refresh);
  window.addEventListener('resize', () => {
    for (const [name, chart] of Object.entries(state.charts)) {
      const container = document.getElementById(chartDefinitions[name].element);
      chart.setSize({ width: chartWidth(container), height: 200 });
    }
  });
  refresh();
})();
