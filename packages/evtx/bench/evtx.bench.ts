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
import { Writable } from 'node:stream';
import { CorrelationEngine, loadRules, SigmaEngine } from '@cordon/sigma';
import type { CommandIo } from '../../cli/src/command.ts';
import { hunt } from '../../cli/src/commands/hunt.command.ts';
import type { HuntFormat } from '../../cli/src/commands/hunt.command.ts';
import { fileBlocks } from '../../cli/src/file-blocks.ts';
import { readRuleSources } from '../../cli/src/hunt/rule-files.ts';
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

/** An output that keeps only a count of what is written. */
class Discard extends Writable {
  bytes = 0;
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.bytes += chunk.length;
    done();
  }
}

/** An output that keeps its text (the command's messages). */
class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/**
 * `cordon hunt [--format jsonl]` once its rules are loaded: the command's own loop (the .evtx
 * reader, the Sigma engine and correlations on every event, a line per match — with jsonl,
 * the record's evtx_dump JSON in it), its output discarded.
 */
async function huntAll(
  engine: SigmaEngine,
  correlations: CorrelationEngine,
  paths: readonly string[],
  format: HuntFormat,
): Promise<Pass & { matches: number }> {
  const stdout = new Discard();
  const stderr = new Capture();
  const io: CommandIo = { stdout, stderr, stdin: process.stdin, env: {} };
  const start = process.hrtime.bigint();
  await hunt({ engine, correlations, files: paths, format, minLevel: 0, io });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  // The command's summary line: `hunt: F files, N events, M matches`.
  const summary = /(\d+) events, (\d+) matches/.exec(stderr.text);
  return { seconds, records: Number(summary?.[1]), matches: Number(summary?.[2]) };
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
  const correlations = new CorrelationEngine(loaded.correlations, engine.rules);
  const ruleLoadSeconds = Number(process.hrtime.bigint() - ruleLoadStart) / 1e9;
  await huntAll(engine, correlations, paths, 'table'); // warm-up
  await huntAll(engine, correlations, paths, 'jsonl');
  const jsonlHunts: Pass[] = [];
  const parsedWithHunts: Pass[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    parsedWithHunts.push(parseAll(paths));
    hunts.push(await huntAll(engine, correlations, paths, 'table'));
    jsonlHunts.push(await huntAll(engine, correlations, paths, 'jsonl'));
  }
  const huntSeconds = best(hunts.map((p) => p.seconds));
  const jsonlSeconds = best(jsonlHunts.map((p) => p.seconds));
  const parseSeconds = best(parsedWithHunts.map((p) => p.seconds));

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
    hunt_to_parse_ratio: Number((huntSeconds / parseSeconds).toFixed(2)),
    hunt_jsonl_records_per_s: Math.round(records / jsonlSeconds),
    hunt_jsonl_to_parse_ratio: Number((jsonlSeconds / parseSeconds).toFixed(2)),
  };
  console.log(
    `parse+json: ${result.mb_per_s} MB/s, ${result.records_per_s} records/s; ` +
      `evtxexport: ${result.baseline_mb_per_s} MB/s, ${result.baseline_records_per_s} records/s; ` +
      `ratio ${result.ratio}x (${paths.length} files, ${result.megabytes} MB, ${records} records, best of ${ROUNDS})`,
  );
  console.log(
    `hunt (${engine.ruleCount} SigmaHQ rules, ${result.hunt_matches} matches): ${result.hunt_records_per_s} records/s, ` +
      `${result.hunt_to_parse_ratio}x the time of parsing alone (rules loaded once in ${result.hunt_rule_load_s} s, not counted); ` +
      `with --format jsonl: ${result.hunt_jsonl_records_per_s} records/s, ${result.hunt_jsonl_to_parse_ratio}x`,
  );
  console.log(JSON.stringify(result));
}

await main();
