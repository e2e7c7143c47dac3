/**
 * `npm run bench:evtx`: parsing throughput over the attack samples, against libevtx's
 * `evtxexport -f xml` on the same files in the same run.
 *
 * Ours: every file read, every record parsed, rendered to its evtx_dump JSON line and
 * serialised (what `cordon evtx dump` writes), the text discarded. Both sides read the files
 * from the page cache (a warm-up pass comes first) and run on one core.
 *
 * Then `cordon hunt`'s work on the same files (its .evtx reader and the whole SigmaHQ rule
 * set) against that same parsing, rounds alternating. Ends with one JSON line.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadRules, SigmaEngine } from '@cordon/sigma';
import { evtxInputReader } from '../../cli/src/hunt/evtx-input-reader.ts';
import type { HuntEvent } from '../../cli/src/hunt/input-reader.ts';
import { readRuleSources } from '../../cli/src/hunt/rule-files.ts';
import { fileBlocks } from '../../cli/src/hunt/file-blocks.ts';
import { readEvtxBlocks, recordJson } from '../src/index.ts';

const dataDir = resolve(import.meta.dirname, '../../../../shared/data');
const samplesDir = join(dataDir, 'evtx/attack-samples');
const RULE_DIRS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((d) =>
  join(dataDir, 'sigmahq', d),
);
const EVTXEXPORT = '/usr/bin/evtxexport';
const ROUNDS = 5;

function listEvtx(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.evtx'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

interface Pass {
  seconds: number;
  records: number;
}

/** What `cordon evtx dump` does per file, output discarded: read, parse, render JSON lines. */
function parseAll(paths: readonly string[]): Pass {
  const start = process.hrtime.bigint();
  let records = 0;
  let characters = 0;
  for (const path of paths) {
    for (const item of readEvtxBlocks(fileBlocks(path))) {
      if (item.kind !== 'record') continue;
      records++;
      const line = `{"record_id":${JSON.stringify(item.recordId)},"timestamp":"${item.timestamp}","event":${JSON.stringify(recordJson(item))}}\n`;
      characters += line.length;
    }
  }
  if (characters === 0) throw new Error('no output');
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, records };
}

function evtxexportAll(paths: readonly string[]): number {
  const devNull = openSync('/dev/null', 'w');
  const start = process.hrtime.bigint();
  for (const path of paths) {
    const result = spawnSync(EVTXEXPORT, ['-f', 'xml', path], {
      stdio: ['ignore', devNull, 'ignore'],
    });
    if (result.error) throw result.error;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  closeSync(devNull);
  return seconds;
}

/**
 * What `cordon hunt` does per file once its rules are loaded: the .evtx input reader (stream,
 * parse, evtx_dump JSON, flat view) and the Sigma engine on every event.
 */
function huntAll(engine: SigmaEngine, paths: readonly string[]): Pass & { matches: number } {
  const start = process.hrtime.bigint();
  let records = 0;
  let matches = 0;
  for (const path of paths) {
    for (const hit of evtxInputReader.read(path) as Iterable<HuntEvent>) {
      records++;
      matches += engine.match(hit.event).length;
    }
  }
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, records, matches };
}

function best(passes: readonly number[]): number {
  return Math.min(...passes);
}

async function main(): Promise<void> {
  if (!existsSync(samplesDir)) throw new Error(`attack samples not found at ${samplesDir}`);
  if (!existsSync(EVTXEXPORT))
    throw new Error(`${EVTXEXPORT} missing: apt-get install libevtx-utils`);
  const paths = listEvtx(samplesDir);
  const megabytes = paths.reduce((sum, p) => sum + statSync(p).size, 0) / 1e6;

  parseAll(paths); // warm-up: JIT and page cache
  evtxexportAll(paths.slice(0, 20));
  // Rounds alternate parsing with evtxexport, then parsing with hunting, so that the two sides
  // of each ratio see the same machine; each keeps its best round.
  const ours: Pass[] = [];
  const theirs: number[] = [];
  const hunts: (Pass & { matches: number })[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    ours.push(parseAll(paths));
    theirs.push(evtxexportAll(paths));
  }
  // Rules are loaded after evtxexport's rounds: a large heap makes spawning it slower.
  const ruleLoadStart = process.hrtime.bigint();
  const loaded = loadRules(await readRuleSources(RULE_DIRS));
  const engine = new SigmaEngine(loaded.detections, { filters: loaded.filters });
  const ruleLoadSeconds = Number(process.hrtime.bigint() - ruleLoadStart) / 1e9;
  huntAll(engine, paths); // warm-up
  const parsedWithHunts: Pass[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    parsedWithHunts.push(parseAll(paths));
    hunts.push(huntAll(engine, paths));
  }
  const huntSeconds = best(hunts.map((p) => p.seconds));

  const records = ours[0]!.records;
  if (hunts[0]!.records !== records)
    throw new Error(`hunt read ${hunts[0]!.records} records, parse ${records}`);
  const oursSeconds = best(ours.map((p) => p.seconds));
  const theirSeconds = best(theirs);
  const result = {
    bench: 'evtx',
    files: paths.length,
    megabytes: Number(megabytes.toFixed(1)),
    records,
    mb_per_s: Number((megabytes / oursSeconds).toFixed(1)),
    records_per_s: Math.round(records / oursSeconds),
    baseline: 'evtxexport -f xml',
    baseline_mb_per_s: Number((megabytes / theirSeconds).toFixed(1)),
    baseline_records_per_s: Math.round(records / theirSeconds),
    ratio: Number((theirSeconds / oursSeconds).toFixed(2)),
    hunt_rules: engine.ruleCount,
    hunt_matches: hunts[0]!.matches,
    hunt_records_per_s: Math.round(records / huntSeconds),
    hunt_rule_load_s: Number(ruleLoadSeconds.toFixed(2)),
    hunt_to_parse_ratio: Number(
      (huntSeconds / best(parsedWithHunts.map((p) => p.seconds))).toFixed(2),
    ),
  };
  console.log(
    `parse+json: ${result.mb_per_s} MB/s, ${result.records_per_s} records/s; ` +
      `evtxexport: ${result.baseline_mb_per_s} MB/s, ${result.baseline_records_per_s} records/s; ` +
      `ratio ${result.ratio}x (${paths.length} files, ${result.megabytes} MB, ${records} records, best of ${ROUNDS})`,
  );
  console.log(
    `hunt (${engine.ruleCount} SigmaHQ rules, ${result.hunt_matches} matches): ${result.hunt_records_per_s} records/s, ` +
      `${result.hunt_to_parse_ratio}x the time of parsing alone (rules loaded once in ${result.hunt_rule_load_s} s, not counted)`,
  );
  console.log(JSON.stringify(result));
}

await main();
