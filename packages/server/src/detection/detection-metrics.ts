/**
 * Live detection's Prometheus metrics, on the server's registry (`GET /metrics`): how long
 * each batch took (matching and triage together), what it produced, and the batches whose
 * matching failed (the worker ran out of time or memory, or stopped) by reason.
 */
import type { Registry } from 'prom-client';
import { Counter, Histogram } from 'prom-client';
import type { DetectionBatch } from './detection.service.ts';

export function detectionMetrics(registry: Registry): (batch: DetectionBatch) => void {
  const registers = [registry];
  const seconds = new Histogram({
    name: 'cordon_detection_batch_seconds',
    help: 'Time live detection spent on one batch (matching, correlation and triage)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const events = new Counter({
    name: 'cordon_detection_events_total',
    help: 'Events run through live detection',
    registers,
  });
  const detections = new Counter({
    name: 'cordon_detection_detections_total',
    help: 'Rule and correlation firings handed to triage (before merge and suppression)',
    registers,
  });
  const failed = new Counter({
    name: 'cordon_detection_failed_batches_total',
    help: 'Batches live detection could not match (worker over its time or memory budget, or stopped)',
    labelNames: ['reason'],
    registers,
  });
  return (batch) => {
    if (batch.failed) {
      failed.inc({ reason: batch.failed });
      return;
    }
    seconds.observe(batch.ms / 1000);
    events.inc(batch.events);
    detections.inc(batch.detections);
  };
}
