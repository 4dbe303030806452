import type { RunArtifact } from '../../ports.js';
import { renderHtmlReport } from './html-report.js';
import type { ReportInput } from './html-report.js';
import { renderJunitReport } from './junit-report.js';
import { renderMarkdownReport } from './markdown-report.js';

/** The report formats of llmops evaluations. */
export type ReportFormat = 'html' | 'markdown' | 'junit' | 'json';

/** The format of a report file, from its extension (`.html`, `.md`, `.xml`, `.json`). */
export function reportFormatOf(path: string): ReportFormat | undefined {
  const extension = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (extension === 'html' || extension === 'htm') return 'html';
  if (extension === 'md' || extension === 'markdown') return 'markdown';
  if (extension === 'xml') return 'junit';
  if (extension === 'json') return 'json';
  return undefined;
}

/** Renders a run's report in one format. */
export function renderReport(input: ReportInput, format: ReportFormat): string {
  switch (format) {
    case 'html':
      return renderHtmlReport(input);
    case 'markdown':
      return renderMarkdownReport(input);
    case 'junit':
      return renderJunitReport(input);
    case 'json':
      return `${JSON.stringify({ run: input.record, results: input.results }, null, 2)}\n`;
  }
}

/** The artifacts stored with every run: the HTML report, the Markdown summary and the JUnit XML. */
export function standardReportArtifacts(input: ReportInput): RunArtifact[] {
  return [
    { path: 'report.html', content: renderHtmlReport(input), contentType: 'text/html; charset=utf-8' },
    { path: 'summary.md', content: renderMarkdownReport(input), contentType: 'text/markdown; charset=utf-8' },
    { path: 'junit.xml', content: renderJunitReport(input), contentType: 'application/xml' },
  ];
}
