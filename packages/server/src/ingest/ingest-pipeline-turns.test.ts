/**
 * Tenants take turns at the event store: with the writer held on a first batch, a tenant that
 * queued five more batches does not put a second tenant's one batch behind all five (it used to
 * be one FIFO for every tenant). The sink here only records the order it was asked to write in.
 */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { IngestPipeline } from './ingest-pipeline.ts';
import { ingestMetrics } from './ingest-metrics.ts';
import type { IngestSink } from './ingest-sink.ts';

function pipelineOver(sink: IngestSink): IngestPipeline {
  return new IngestPipeline({
    sink,
    metrics: ingestMetrics(new Registry()),
    log: { warn: () => undefined, error: () => undefined },
    maxQueueEvents: 10_000,
    maxQueueBytes: 10_000_000,
    batchMaxEvents: 100,
    flushIntervalMs: 5,
    retryAfterSeconds: 1,
    maxRecordsPerSubmission: 100,
  });
}

/** Submits a batch of `events` events, each with its batch id as message. */
function batchesOf(pipeline: IngestPipeline) {
  return (tenantId: string, batchId: string, events = 1) =>
    pipeline.submitBatch({
      tenantId,
      source: 'http',
      provenance: { kind: 'ingest_token', tokenId: 't' } as never,
      batchId,
      hint: 'json',
      events: Array.from({ length: events }, () => ({ message: batchId }) as never),
      failures: [],
      records: events,
      bytes: 10,
    });
}

describe('the ingest writer', () => {
  it('serves tenants in turn, each in its own arrival order', async () => {
    const written: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const sink: IngestSink = {
      appendBatch: async (tenantId, batch) => {
        written.push(`${tenantId}:${batch.batchId}`);
        if (written.length === 1) await held;
        return { ids: batch.events.map((_, i) => `${batch.batchId}-${i}`), duplicate: false };
      },
    };
    const pipeline = pipelineOver(sink);
    const batch = batchesOf(pipeline);
    const done = [
      batch('flood', 'f1'),
      ...['f2', 'f3', 'f4', 'f5', 'f6'].map((id) => batch('flood', id)),
      batch('quiet', 'q1'),
      batch('flood', 'f7'),
      batch('quiet', 'q2'),
    ];
    release();
    await Promise.all(done);
    expect(written).toEqual([
      'flood:f1',
      'flood:f2',
      'quiet:q1',
      'flood:f3',
      'quiet:q2',
      'flood:f4',
      'flood:f5',
      'flood:f6',
      'flood:f7',
    ]);
  });

  it('hands neighbouring batches of one tenant to the consumers together, in order', async () => {
    const sink: IngestSink = {
      appendBatch: async (_tenantId, batch) => ({
        ids: batch.events.map((_, i) => `${batch.batchId}-${i}`),
        duplicate: false,
      }),
    };
    const pipeline = pipelineOver(sink);
    const calls: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    pipeline.addConsumer({
      name: 'recorder',
      consume: async (tenantId, events) => {
        calls.push(`${tenantId}:${events.map((e) => e.id).join(',')}`);
        if (calls.length === 1) await held;
      },
    });
    const batch = batchesOf(pipeline);
    // The first batch holds the consumer; the rest are stored meanwhile and wait for it.
    await batch('a', 'a1');
    await Promise.all([
      batch('a', 'a2'),
      batch('a', 'a3'),
      batch('b', 'b1'),
      batch('a', 'a4'),
      batch('a', 'a5', 999),
    ]);
    release();
    await pipeline.close();
    expect(calls[0]).toBe('a:a1-0');
    // The writer takes tenants in turn (a2, b1, a3, a4, a5), so b1 sits between a2 and a3: a
    // batch merges only with its neighbours of the same tenant (a3 and a4), and not past
    // 1,000 events (a5 alone).
    expect(
      calls.slice(1).map((c) => c.split(':')[0] + ':' + c.split(':')[1]!.split(',').length),
    ).toEqual(['a:1', 'b:1', 'a:2', 'a:999']);
    expect(calls[3]).toBe('a:a3-0,a4-0');
  });
});
