/**
 * The engine's index only skips rules that cannot match: with the whole SigmaHQ rule set, over
 * the regression events and the EVTX attack samples (the bench's events), the indexed engine
 * fires exactly the rules that evaluating every rule of the event's log source fires.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readEvtx, recordFlat } from '@cordon/evtx';
import { loadRules, SigmaEngine, withSigmaFieldNames } from '@cordon/sigma';
import type { LogSource, SigmaEvent } from '@cordon/sigma';
import {
  dataRoot,
  hasSigmaData,
  listFiles,
  regressionCases,
  ruleSources,
  sigmahqRoot,
} from './sigmahq-data.ts';

if (!hasSigmaData) console.warn(`skipping index soundness: no data at ${sigmahqRoot}`);

function firedRules(engine: SigmaEngine, event: SigmaEvent, source?: LogSource): string {
  const fired: number[] = [];
  engine.matchEach(event, source, (rule) => fired.push(rule));
  return fired.sort((a, b) => a - b).join(',');
}

describe.skipIf(!hasSigmaData)('rule index', () => {
  it('skips no rule that matches (regression events and EVTX attack samples)', () => {
    const loaded = loadRules(
      ruleSources(['rules', 'rules-emerging-threats', 'rules-threat-hunting']),
    );
    const indexed = new SigmaEngine(loaded.detections);
    const everyRule = new SigmaEngine(loaded.detections, { prefilter: false });
    const regression: SigmaEvent[] = regressionCases().flatMap((c) => c.events);
    const events = [...regression];
    for (const file of listFiles(`${dataRoot}/evtx/attack-samples`, ['.evtx'])) {
      for (const item of readEvtx(new Uint8Array(readFileSync(file)))) {
        if (item.kind === 'record') events.push(withSigmaFieldNames(recordFlat(item)));
      }
    }
    expect(events.length).toBeGreaterThan(1000);
    let matches = 0;
    for (const event of events) {
      const expected = firedRules(everyRule, event);
      matches += expected === '' ? 0 : expected.split(',').length;
      expect(firedRules(indexed, event), JSON.stringify(event)).toBe(expected);
    }
    expect(matches).toBeGreaterThan(100);
    // Log sources assigned at ingestion reach the rules no mapping entry covers.
    const sources = new Map<string, LogSource>();
    for (const rule of loaded.detections)
      sources.set(JSON.stringify(rule.logsource), rule.logsource);
    for (const source of sources.values()) {
      for (const event of regression) {
        expect(firedRules(indexed, event, source)).toBe(firedRules(everyRule, event, source));
      }
    }
  }, 300_000);
});
