/**
 * `cordon hunt`: offline hunting with Sigma rules over event files, as analysts do with
 * Chainsaw or Hayabusa. Inputs are files or directories (searched recursively) of any kind an
 * input reader takes (hunt/input-reader.ts). Matches go to stdout as a table, JSON lines or
 * CSV; a progress line is drawn on stderr when it is a terminal.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { csvCell } from '@cordon/core';
import {
  CorrelationEngine,
  loadRules,
  parseLogSourceMapping,
  parseYamlDocuments,
  SIGMA_LEVELS,
  SigmaEngine,
} from '@cordon/sigma';
import type {
  CorrelationAlert,
  LogSourceMapping,
  SigmaEvent,
  SigmaLevel,
  SigmaMatch,
} from '@cordon/sigma';
import type { Command, CommandIo } from '../command.ts';
import { UsageError } from '../command.ts';
import type { HuntEvent } from '../hunt/input-reader.ts';
import { inputReaders, readerFor } from '../hunt/input-reader.ts';
import { listInputFiles, readRuleSources } from '../hunt/rule-files.ts';
import { parsePlaceholders } from './rules-check.command.ts';

const FORMATS = ['table', 'jsonl', 'csv'] as const;
export type HuntFormat = (typeof FORMATS)[number];

export const huntCommand: Command = {
  name: 'hunt',
  summary: 'Run Sigma rules over event files (JSON/JSONL, directories) and print the matches',
  help: [
    'Usage: cordon hunt --rules PATH [--rules PATH]... [--mapping FILE] [--format table|jsonl|csv]',
    '                   [--min-level LEVEL] [--placeholder NAME=VALUE]... INPUT...',
    '',
    'INPUT: event files or directories (searched recursively). Supported: ' +
      inputReaders.map((r) => r.kind).join(', ') +
      ' (.json/.jsonl: one event per line or concatenated objects; Windows events in the',
    'evtx_dump shape are flattened to the fields Sigma rules use).',
    '',
    'Options:',
    '  --rules PATH             Sigma rule file or directory (repeatable, required)',
    '  --mapping FILE           log source mapping (YAML/JSON: keyFields, entries) instead of',
    '                           the built-in Windows mapping',
    '  --format table|jsonl|csv output format (default table); jsonl prints one line per match:',
    '                           {"rule":{"id","title","level","tags"},"source":{"file","record"},"event":{…}}',
    '  --min-level LEVEL        informational, low, medium, high or critical',
    '  --placeholder NAME=VALUE value for the `expand` placeholder %NAME% (repeatable)',
    '  -h, --help               show this help',
    '',
    'Exit status 0 whether or not anything matched; 1 for unreadable input; 2 for bad arguments.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        rules: { type: 'string', multiple: true, default: [] },
        mapping: { type: 'string' },
        format: { type: 'string', default: 'table' },
        'min-level': { type: 'string' },
        placeholder: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (values.rules.length === 0) throw new UsageError('hunt needs --rules PATH');
    if (positionals.length === 0) throw new UsageError('hunt needs at least one INPUT');
    const format = values.format as HuntFormat;
    if (!FORMATS.includes(format))
      throw new UsageError(`unknown --format ${values.format}: use table, jsonl or csv`);
    const minLevelText = values['min-level'];
    if (minLevelText !== undefined && !SIGMA_LEVELS.includes(minLevelText as SigmaLevel)) {
      throw new UsageError(`unknown --min-level ${minLevelText}: use ${SIGMA_LEVELS.join(', ')}`);
    }
    const minLevel = minLevelText ? SIGMA_LEVELS.indexOf(minLevelText as SigmaLevel) : 0;
    const mapping = values.mapping ? await readMapping(values.mapping) : undefined;

    const loaded = loadRules(await readRuleSources(values.rules));
    const engine = new SigmaEngine(loaded.detections, {
      ...(mapping ? { mapping } : {}),
      placeholders: parsePlaceholders(values.placeholder),
      filters: loaded.filters,
    });
    const correlations = new CorrelationEngine(loaded.correlations, engine.rules);
    const rejected = loaded.rejected.length + engine.rejected.length + correlations.rejected.length;
    io.stderr.write(
      `hunt: ${engine.ruleCount} rules` +
        (correlations.correlations.length
          ? ` and ${correlations.correlations.length} correlations`
          : '') +
        ` loaded` +
        (rejected ? `, ${rejected} rejected (see \`cordon rules check\`)` : '') +
        '\n',
    );

    const files: string[] = [];
    for (const input of positionals) {
      const found = await listInputFiles(input, (name) => readerFor(name) !== undefined);
      if (found.length === 1 && found[0] === input && !readerFor(input)) {
        throw new UsageError(
          `${input}: unsupported input (use ${inputReaders.map((r) => r.kind).join(', ')})`,
        );
      }
      files.push(...found);
    }
    return hunt({ engine, correlations, files, format, minLevel, io });
  },
};

async function readMapping(file: string): Promise<LogSourceMapping> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--mapping ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  const docs = parseYamlDocuments(text);
  const first = docs[0];
  if (!first || !first.ok)
    throw new UsageError(`--mapping ${file}: ${first && !first.ok ? first.error : 'empty file'}`);
  try {
    return parseLogSourceMapping(first.value);
  } catch (error) {
    throw new UsageError(`--mapping ${file}: ${(error as Error).message}`);
  }
}

/** Event time for correlation windows: the Windows record time, else common timestamp fields. */
function eventTimeMs(event: SigmaEvent): number | undefined {
  for (const field of ['TimeCreated_SystemTime', '@timestamp', 'timestamp', 'UtcTime', 'time']) {
    const value = event[field];
    if (typeof value === 'string') {
      const ms = Date.parse(
        /Z|[+-]\d\d:?\d\d$/.test(value) ? value : value.replace(' ', 'T') + 'Z',
      );
      if (!Number.isNaN(ms)) return ms;
    } else if (typeof value === 'number') return value;
  }
  return undefined;
}

/**
 * The hunt itself, once rules are loaded: every event of every file through the engine (and
 * the correlations), matches written to `io.stdout` in `format`. Exported for bench:evtx,
 * which times exactly this.
 */
export async function hunt(options: {
  engine: SigmaEngine;
  correlations: CorrelationEngine;
  files: readonly string[];
  format: HuntFormat;
  minLevel: number;
  io: CommandIo;
}): Promise<number> {
  const { engine, correlations, files, format, minLevel, io } = options;
  // Rules a correlation refers to without `generate: true` report only through it (spec).
  const quiet = new Set(
    correlations.correlations.filter((c) => !c.generate).flatMap((c) => c.rules),
  );
  const progress = (io.stderr as NodeJS.WriteStream).isTTY === true;
  let events = 0;
  let matches = 0;
  let out = '';
  const flush = (force: boolean): void => {
    if (out.length > 65536 || (force && out)) {
      io.stdout.write(out);
      out = '';
    }
  };
  if (format === 'csv') out += 'level,rule_id,title,file,record,selections\n';
  // An event matched by several rules is serialised once; so is each rule's summary.
  let eventOf: HuntEvent | undefined;
  let eventText = '';
  const ruleTexts = new Map<SigmaMatch['rule'], string>();
  const emit = (hit: HuntEvent, m: SigmaMatch): void => {
    matches++;
    const r = m.rule;
    if (format === 'jsonl') {
      if (hit !== eventOf) {
        eventOf = hit;
        eventText = JSON.stringify(hit.original) ?? 'null';
      }
      let ruleText = ruleTexts.get(r);
      if (ruleText === undefined) {
        ruleText = JSON.stringify({
          id: r.id ?? null,
          title: r.title,
          level: r.level ?? null,
          tags: r.tags,
        });
        ruleTexts.set(r, ruleText);
      }
      out +=
        `{"rule":${ruleText},"source":${JSON.stringify({ file: hit.file, record: hit.record })},` +
        `"selections":${JSON.stringify(m.selections)},"fields":${JSON.stringify(m.fields)},` +
        `"event":${eventText}}\n`;
    } else if (format === 'csv') {
      out +=
        [r.level ?? '', r.id ?? '', r.title, hit.file, String(hit.record), m.selections.join(' ')]
          .map(csvCell)
          .join(',') + '\n';
    } else {
      out += `${(r.level ?? '-').padEnd(13)} ${r.title}  [${hit.file}#${hit.record}]\n`;
    }
    flush(false);
  };
  const emitCorrelation = (hit: HuntEvent, alert: CorrelationAlert): void => {
    const c = alert.correlation;
    if (SIGMA_LEVELS.indexOf(c.level ?? 'informational') < minLevel) return;
    matches++;
    if (format === 'jsonl') {
      out +=
        JSON.stringify({
          rule: { id: c.id ?? null, title: c.title, level: c.level ?? null, tags: c.tags },
          source: { file: hit.file, record: hit.record },
          correlation: {
            type: c.type,
            group: alert.group,
            value: alert.value,
            events: alert.events,
            first: new Date(alert.firstMs).toISOString(),
            last: new Date(alert.lastMs).toISOString(),
          },
        }) + '\n';
    } else if (format === 'csv') {
      out +=
        [c.level ?? '', c.id ?? '', c.title, hit.file, String(hit.record), `correlation ${c.type}`]
          .map(csvCell)
          .join(',') + '\n';
    } else {
      const group = Object.entries(alert.group)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      out += `${(c.level ?? '-').padEnd(13)} ${c.title} (${c.type} ${alert.value}${group ? ', ' + group : ''})  [${hit.file}#${hit.record}]\n`;
    }
    flush(false);
  };
  const correlating = correlations.correlations.length > 0;
  // The table shows rule and record only: no need to work out which selections matched.
  const explained = format !== 'table';
  const unexplained: SigmaMatch[] = [];
  const NONE: readonly string[] = [];
  const addUnexplained = (i: number): void => {
    unexplained.push({ rule: engine.rules[i]!, selections: NONE, fields: NONE });
  };
  const matchesOf = (event: SigmaEvent): readonly SigmaMatch[] => {
    if (explained) return engine.match(event);
    unexplained.length = 0;
    engine.matchEach(event, undefined, addUnexplained);
    return unexplained;
  };
  const onEvent = (hit: HuntEvent, f: number): void => {
    events++;
    for (const m of matchesOf(hit.event)) {
      const referenced = quiet.has(m.rule.id ?? '') || quiet.has(m.rule.name ?? '');
      if (!referenced && SIGMA_LEVELS.indexOf(m.rule.level ?? 'informational') >= minLevel) {
        emit(hit, m);
      }
      if (correlating) {
        const time = eventTimeMs(hit.event) ?? 0;
        for (const alert of correlations.observe(m.rule, hit.event, time))
          emitCorrelation(hit, alert);
      }
    }
    if (progress && events % 2000 === 0) {
      io.stderr.write(`\r[${f + 1}/${files.length}] ${events} events, ${matches} matches`);
    }
  };
  for (let f = 0; f < files.length; f++) {
    const file = files[f]!;
    const hits = readerFor(file)!.read(file);
    if (Symbol.iterator in hits) {
      for (const hit of hits) onEvent(hit, f);
    } else {
      for await (const hit of hits) onEvent(hit, f);
    }
  }
  flush(true);
  if (progress) io.stderr.write('\r\x1b[K');
  io.stderr.write(`hunt: ${files.length} files, ${events} events, ${matches} matches\n`);
  return 0;
}
