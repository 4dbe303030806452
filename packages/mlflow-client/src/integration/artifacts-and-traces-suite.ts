import type { SuiteContext } from './suite-context.js';
import { failure } from './suite-context.js';

/** Artifacts through the proxy and traces by OTLP against a real server. */
export function artifactsAndTracesSuite(context: () => SuiteContext): void {
  describe('artifacts through the mlflow-artifacts proxy', () => {
    it('uploads, lists and downloads text and binary files of a run', async () => {
      const { client, unique } = context();
      const experimentId = await client.experiments.create({ name: unique('llmops-artifacts') });
      const { info } = await client.runs.create({ experimentId });
      const bytes = Uint8Array.from({ length: 256 }, (_, index) => index);
      await client.artifacts.upload({
        runId: info.runId,
        path: 'report.json',
        content: '{"relevancy": 0.93}',
        contentType: 'application/json',
      });
      await client.artifacts.upload({ runId: info.runId, path: 'data/blob.bin', content: bytes });
      await client.artifacts.upload({ artifactUri: info.artifactUri, path: 'data/résumé notes.txt', content: 'naïve' });
      expect(await client.artifacts.list({ runId: info.runId })).toEqual([
        { path: 'data', isDir: true, fileSize: 0 },
        { path: 'report.json', isDir: false, fileSize: 19 },
      ]);
      expect(await client.artifacts.list({ artifactUri: info.artifactUri, path: 'data' })).toEqual([
        { path: 'data/blob.bin', isDir: false, fileSize: 256 },
        { path: 'data/résumé notes.txt', isDir: false, fileSize: 6 },
      ]);
      expect(await client.artifacts.download({ runId: info.runId, path: 'data/blob.bin' })).toEqual(bytes);
      expect(
        await client.artifacts.downloadText({ artifactUri: info.artifactUri, path: 'data/résumé notes.txt' }),
      ).toBe('naïve');
      expect(await client.artifacts.list({ runId: info.runId, path: 'nothing-here' })).toEqual([]);
      expect((await failure(client.artifacts.download({ runId: info.runId, path: 'missing.txt' }))).code).toBe(
        'not_found',
      );
    });
  });

  describe('traces by OTLP/HTTP', () => {
    it('records a trace with a child span and reads its summary back', async () => {
      const { client, unique } = context();
      const experimentId = await client.experiments.create({ name: unique('llmops-traces') });
      const { info } = await client.runs.create({ experimentId });
      const trace = client.traces.start({
        experimentId,
        runId: info.runId,
        name: 'chat',
        spanType: 'CHAIN',
        inputs: { question: 'What is RAG?' },
      });
      const retrieval = trace.startSpan({ name: 'retrieve', spanType: 'RETRIEVER', inputs: { query: 'RAG' } });
      retrieval.end({ outputs: [{ id: 'doc-1', score: 0.91 }], attributes: { 'llmops.top_k': 3 } });
      const { traceId } = await trace.end({ outputs: { answer: 'Retrieval-augmented generation.' } });
      expect(traceId).toBe(trace.traceId);
      const summary = await client.traces.getInfo(traceId);
      expect(summary).toMatchObject({ traceId, experimentId, state: 'OK' });
      expect(JSON.parse(summary.requestPreview ?? '')).toEqual({ question: 'What is RAG?' });
      expect(JSON.parse(summary.responsePreview ?? '')).toEqual({ answer: 'Retrieval-augmented generation.' });
    });

    it('records a failed trace as ERROR and refuses an unknown experiment', async () => {
      const { client, unique } = context();
      const experimentId = await client.experiments.create({ name: unique('llmops-traces') });
      const { traceId } = await client.traces.log({
        experimentId,
        spans: [
          {
            name: 'chat',
            startTimeMs: 1_700_000_000_000,
            endTimeMs: 1_700_000_000_250.5,
            status: 'ERROR',
            statusMessage: 'provider timed out',
            inputs: 'hello',
          },
        ],
      });
      expect((await client.traces.getInfo(traceId)).state).toBe('ERROR');
      expect((await failure(client.traces.getInfo('tr-00000000000000000000000000000001'))).code).toBe('not_found');
    });

    it('logs a feedback assessment on a trace and reads it back with the trace', async () => {
      const { client, unique } = context();
      const experimentId = await client.experiments.create({ name: unique('llmops-traces') });
      const { traceId } = await client.traces.log({
        experimentId,
        spans: [{ name: 'chat', startTimeMs: 1_700_000_000_000, endTimeMs: 1_700_000_000_100, inputs: 'hello' }],
      });
      const { assessmentId } = await client.traces.logFeedback({
        traceId,
        name: 'contextual_relevancy',
        value: 0.75,
        source: { type: 'LLM_JUDGE', id: 'openai/gpt-4o-mini' },
        rationale: 'online evaluation',
        metadata: { 'llmops.request_id': 'req-1' },
      });
      const [assessment] = (await client.traces.getInfo(traceId)).assessments;
      expect(assessment).toEqual({
        assessmentId,
        name: 'contextual_relevancy',
        kind: 'feedback',
        value: 0.75,
        sourceType: 'LLM_JUDGE',
        sourceId: 'openai/gpt-4o-mini',
        rationale: 'online evaluation',
        metadata: { 'llmops.request_id': 'req-1' },
      });
      const missing = client.traces.logFeedback({
        traceId: 'tr-00000000000000000000000000000001',
        name: 'faithfulness',
        value: 1,
        source: { type: 'CODE', id: 'offline-heuristic' },
      });
      expect((await failure(missing)).code).toBe('not_found');
    });
  });
}
