/**
 * Sigma engine throughput with the whole accepted SigmaHQ rule set loaded (rules/,
 * rules-emerging-threats/, rules-threat-hunting/), over the events of the shared regression
 * `.json` files and the EVTX attack samples, all parsed and flattened beforehand so only the
 * engine is timed, on one core. Baseline, same run: visiting every field of every event
 * (reading each value and lower-casing its text), the least any matcher must do.
 * Ends with one JSON line.
 */
import { readFileSync } from 'node:fs';
import { readEvtx, recordFlat } from '@cordon/evtx';
import { loadRules, SigmaEngine, withSigmaFieldNames } from '@cordon/sigma';
import type { SigmaEvent } from '@cordon/sigma';
import {
  dataRoot,
  hasSigmaData,
  listFiles,
  regressionCases,
  ruleSources,
} from '../test/sigmahq-data.ts';

if (!hasSigmaData) {
  console.error(`bench:sigma needs the shared SigmaHQ data at ${dataRoot}`);
  process.exit(1);
}

const loaded = loadRules(ruleSources(['rules', 'rules-emerging-threats', 'rules-threat-hunting']));
const compileStart = performance.now();
const engine = new SigmaEngine(loaded.detections);
const compileMs = performance.now() - compileStart;

const events: SigmaEvent[] = regressionCases().flatMap((c) => c.events);
const jsonEvents = events.length;
for (const file of listFiles(`${dataRoot}/evtx/attack-samples`, ['.evtx'])) {
  for (const item of readEvtx(new Uint8Array(readFileSync(file)))) {
    if (item.kind === 'record') events.push(withSigmaFieldNames(recordFlat(item)));
  }
}

function baselinePass(): number {
  let sink = 0;
  for (const event of events) {
    for (const key in event) {
      const value = event[key];
      if (typeof value === 'string') sink += value.toLowerCase().length;
      else if (typeof value === 'number') sink += 1;
    }
  }
  return sink;
}

let matches = 0;
function enginePass(): void {
  for (const event of events) engine.matchEach(event, undefined, () => void matches++);
}

/**
 * Both passes alternate, round after round, so that both see the same machine (frequency,
 * noisy neighbours); each keeps its best round. Rounds are whole passes over the events.
 */
function rates(totalMs: number): { baseline: number; engine: number } {
  baselinePass(); // warm-up: JIT, the engine's per-value memo
  enginePass();
  let bestBaseline = Infinity;
  let bestEngine = Infinity;
  const start = performance.now();
  do {
    let t = performance.now();
    baselinePass();
    bestBaseline = Math.min(bestBaseline, performance.now() - t);
    t = performance.now();
    enginePass();
    bestEngine = Math.min(bestEngine, performance.now() - t);
  } while (performance.now() - start < totalMs);
  return {
    baseline: events.length / (bestBaseline / 1000),
    engine: events.length / (bestEngine / 1000),
  };
}

// First sight: a second engine, fresh (no value remembered, rule matchers not yet optimised by
// the JIT), over every event once, as a hunt over new files meets them.
const fresh = new SigmaEngine(loaded.detections);
const firstStart = performance.now();
for (const event of events) fresh.matchEach(event, undefined, () => void matches++);
const firstSight = events.length / ((performance.now() - firstStart) / 1000);

const measured = rates(8000);
const baseline = measured.baseline;
const eventsPerSecond = measured.engine;
const ratio = baseline / eventsPerSecond;
console.log(
  `${engine.ruleCount} rules (compiled in ${compileMs.toFixed(0)} ms, index ${(engine.indexBytes / 1e6).toFixed(1)} MB), ` +
    `${events.length} events (${jsonEvents} regression JSON, ${events.length - jsonEvents} EVTX attack samples)`,
);
console.log(`engine:   ${eventsPerSecond.toFixed(0)} events/s`);
console.log(`baseline: ${baseline.toFixed(0)} events/s (visit every field)`);
console.log(`engine is ${ratio.toFixed(2)}x slower than the field-visiting baseline`);
console.log(`first sight (fresh engine, one pass): ${firstSight.toFixed(0)} events/s`);
console.log(
  JSON.stringify({
    bench: 'sigma',
    rules: engine.ruleCount,
    events: events.length,
    events_per_s: Math.round(eventsPerSecond),
    baseline_events_per_s: Math.round(baseline),
    ratio: Number(ratio.toFixed(3)),
    first_sight_events_per_s: Math.round(firstSight),
  }),
);
