/**
 * The behavioural detectors' Prometheus metrics (`GET /metrics`): findings by detector, those
 * dropped by the allow-list, the entries held and evicted per detector (summed over tenants,
 * read when scraped), and the time each batch took.
 */
import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';

export interface BehaviourMetrics {
  finding(detector: string, allowListed: boolean): void;
  batch(seconds: number): void;
}

export function behaviourMetrics(
  registry: Registry,
  sizes: () => Iterable<{ detector: string; entries: number; evictions: number }>,
): BehaviourMetrics {
  const registers = [registry];
  const findings = new Counter({
    name: 'cordon_behaviour_findings_total',
    help: 'Findings of behavioural detectors handed to triage',
    labelNames: ['detector'],
    registers,
  });
  const allowed = new Counter({
    name: 'cordon_behaviour_allow_listed_total',
    help: 'Findings dropped because an analyst marked their key a false positive',
    labelNames: ['detector'],
    registers,
  });
  const sum = (pick: 'entries' | 'evictions'): Map<string, number> => {
    const out = new Map<string, number>();
    for (const s of sizes()) out.set(s.detector, (out.get(s.detector) ?? 0) + s[pick]);
    return out;
  };
  new Gauge({
    name: 'cordon_behaviour_state_entries',
    help: 'Entries behavioural detectors hold in memory (all tenants)',
    labelNames: ['detector'],
    registers,
    collect() {
      this.reset();
      for (const [detector, n] of sum('entries')) this.set({ detector }, n);
    },
  });
  new Gauge({
    name: 'cordon_behaviour_state_evictions',
    help: 'Entries behavioural detectors evicted to stay within their caps, since start',
    labelNames: ['detector'],
    registers,
    collect() {
      this.reset();
      for (const [detector, n] of sum('evictions')) this.set({ detector }, n);
    },
  });
  const seconds = new Histogram({
    name: 'cordon_behaviour_batch_seconds',
    help: 'Time the behavioural detectors spent on one batch (triage included)',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  return {
    finding: (detector, allowListed) => (allowListed ? allowed : findings).inc({ detector }),
    batch: (s) => seconds.observe(s),
  };
}
