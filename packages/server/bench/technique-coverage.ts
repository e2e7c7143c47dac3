/**
 * ATT&CK technique coverage over the EVTX attack samples: for each technique-labelled file
 * (technique-labels.ts), its records are parsed as ingestion parses them (`parseJsonValue`
 * with the Windows shape) and matched against the loaded rules; the file counts as covered
 * when a rule that fired on it (or a detector's finding, given by the caller) names the same
 * technique in its `attack.tNNNN` tags. Importable by other evaluations (`npm run
 * eval:detection` adds its detectors through `extraTechniques`).
 */
import { readFile, readdir } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { IngestEvent } from '@cordon/ingest';
import { parseJsonValue, sigmaView } from '@cordon/ingest';
import { readEvtx, recordJson } from '@cordon/evtx';
import type { SigmaEngine } from '@cordon/sigma';
import type { LabelSource } from './technique-labels.ts';
import { sameTechnique, techniqueLabel, techniqueOfTag } from './technique-labels.ts';

export interface CoverageOptions {
  readonly samplesDir: string;
  readonly engine: SigmaEngine;
  /** Techniques other detection (behavioural detectors) finds in one file's events. */
  readonly extraTechniques?: (events: readonly IngestEvent[]) => Iterable<string>;
}

export interface FileCoverage {
  readonly file: string;
  readonly tactic: string;
  readonly technique: string;
  readonly source: LabelSource;
  readonly events: number;
  readonly covered: boolean;
  /** Techniques the rules named on this file. */
  readonly found: readonly string[];
}

export interface CoverageReport {
  readonly files: readonly FileCoverage[];
  readonly samples: number;
  readonly labelled: number;
  readonly covered: number;
  readonly share: number;
}

const receivedAt = new Date('2024-01-01T00:00:00Z');

export async function techniqueCoverage(options: CoverageOptions): Promise<CoverageReport> {
  const paths = (await readdir(options.samplesDir, { recursive: true }))
    .filter((name) => name.toLowerCase().endsWith('.evtx'))
    .sort();
  const files: FileCoverage[] = [];
  for (const path of paths) {
    const label = techniqueLabel(basename(path));
    if (label === undefined) continue;
    const events = await sampleEvents(join(options.samplesDir, path));
    const found = new Set<string>();
    for (const event of events) {
      options.engine.matchEach(sigmaView(event), event.log_source, (index) => {
        for (const tag of options.engine.rules[index]!.tags) {
          const technique = techniqueOfTag(tag);
          if (technique !== undefined) found.add(technique);
        }
      });
    }
    for (const technique of options.extraTechniques?.(events) ?? []) found.add(technique);
    files.push({
      file: relative(options.samplesDir, join(options.samplesDir, path)),
      tactic: dirname(path).split('/')[0] ?? '.',
      technique: label.technique,
      source: label.source,
      events: events.length,
      covered: [...found].some((t) => sameTechnique(t, label.technique)),
      found: [...found].sort(),
    });
  }
  const covered = files.filter((f) => f.covered).length;
  return {
    files,
    samples: paths.length,
    labelled: files.length,
    covered,
    share: files.length === 0 ? 0 : covered / files.length,
  };
}

async function sampleEvents(file: string): Promise<IngestEvent[]> {
  const events: IngestEvent[] = [];
  const bytes = new Uint8Array(await readFile(file));
  try {
    for (const item of readEvtx(bytes)) {
      if (item.kind !== 'record') continue;
      const outcome = parseJsonValue(recordJson(item), { receivedAt, hint: 'windows' });
      if (outcome.kind === 'events') events.push(...outcome.events);
    }
  } catch {
    // A damaged sample: the records read before the damage count.
  }
  return events;
}
