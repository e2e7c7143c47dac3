/**
 * The eval's labelled scenarios (`bench/detection-scenario.ts`): a seed gives the same records
 * and labels on every run (so figures can be rerun), different seeds give different tenants,
 * and every label names an entity that occurs in the records it labels.
 */
import { describe, expect, it } from 'vitest';
import { scenario } from '../../bench/detection-scenario.ts';

const located = [
  { ip: '81.2.69.142', country: 'GB' },
  { ip: '1.1.1.1', country: 'AU' },
];
const start = Date.UTC(2024, 4, 6);

describe('eval scenarios', () => {
  it('one seed, one scenario; another seed, another', () => {
    const a = scenario({ seed: 101, start, located });
    const again = scenario({ seed: 101, start, located });
    const other = scenario({ seed: 901, start, located });
    expect(again.records).toEqual(a.records);
    expect(again.labels).toEqual(a.labels);
    expect(other.records.length).not.toBe(a.records.length);
    expect(other.labels.map((l) => l.what)).not.toEqual(a.labels.map((l) => l.what));
  });

  it('labels every attack kind, each naming an entity its records hold, in time order', () => {
    const { records, labels } = scenario({ seed: 102, start, located });
    expect(new Set(labels.map((l) => l.detector))).toEqual(
      new Set([
        'beaconing',
        'port-scan',
        'auth-attack',
        'rare-process',
        'login-pattern',
        'outbound-volume',
        'dns-tunnel',
      ]),
    );
    const text = records.map((r) => r.raw).join('\n');
    for (const label of labels) expect(text.toLowerCase()).toContain(label.entity.toLowerCase());
    for (let i = 1; i < records.length; i++)
      expect(records[i]!.at).toBeGreaterThanOrEqual(records[i - 1]!.at);
    for (const label of labels) expect(Number.isFinite(label.startMs)).toBe(true);
  });
});
