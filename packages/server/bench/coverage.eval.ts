/**
 * `npm run eval:coverage`: ATT&CK technique coverage of the loaded rules — Cordon's own plus
 * the SigmaHQ folders a `cordon rules update` pack loads (`rules`, `rules-emerging-threats`)
 * from `../shared/data/sigmahq` — over the technique-labelled EVTX attack samples. Prints the
 * share per tactic and per label source, the baseline of Cordon's own rules alone measured in
 * the same run, and one JSON line last.
 *
 *   npm run eval:coverage [-- --sigmahq DIR] [--samples DIR] [--files]
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadServerRuleSet } from '../src/detection/server-rule-set.ts';
import type { CoverageReport } from './technique-coverage.ts';
import { techniqueCoverage } from './technique-coverage.ts';

const { values } = parseArgs({
  options: {
    sigmahq: { type: 'string' },
    samples: { type: 'string' },
    files: { type: 'boolean', default: false },
  },
});
const shared = resolve(import.meta.dirname, '../../../../shared/data');
const sigmahq = resolve(values.sigmahq ?? join(shared, 'sigmahq'));
const samplesDir = resolve(values.samples ?? join(shared, 'evtx', 'attack-samples'));
if (!existsSync(samplesDir) || !existsSync(join(sigmahq, 'rules'))) {
  console.log(`skipped: needs ${samplesDir} and ${join(sigmahq, 'rules')}`);
  process.exit(0);
}

const started = performance.now();
const own = await loadServerRuleSet({});
const all = await loadServerRuleSet({
  ruleDirs: ['rules', 'rules-emerging-threats'].map((d) => join(sigmahq, d)),
});
const baseline = await techniqueCoverage({ samplesDir, engine: own.engine });
const report = await techniqueCoverage({ samplesDir, engine: all.engine });

const pct = (n: number, d: number): string => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);
function table(rows: readonly (readonly [string, CoverageReport['files']])[]): void {
  console.log(`${'group'.padEnd(24)} ${'files'.padStart(5)} ${'covered'.padStart(7)} share`);
  for (const [name, files] of rows) {
    const covered = files.filter((f) => f.covered).length;
    console.log(
      `${name.padEnd(24)} ${String(files.length).padStart(5)} ${String(covered).padStart(7)} ${pct(covered, files.length)}`,
    );
  }
}
const byTactic = new Map<string, CoverageReport['files'][number][]>();
for (const file of report.files)
  byTactic.set(file.tactic, [...(byTactic.get(file.tactic) ?? []), file]);
console.log(
  `ATT&CK technique coverage: ${report.samples} EVTX samples, ${report.labelled} technique-labelled; rules: ${all.engine.rules.length} (Cordon ${own.engine.rules.length} + SigmaHQ)`,
);
table([...byTactic.entries()].sort(([a], [b]) => a.localeCompare(b)));
table([
  ['label: id in file name', report.files.filter((f) => f.source === 'name-id')],
  ['label: name keyword', report.files.filter((f) => f.source === 'name-keyword')],
  ['all labelled', report.files],
]);
if (values.files)
  for (const f of report.files)
    console.log(
      `${f.covered ? 'yes' : 'no '} ${f.technique.padEnd(10)} ${f.file}  [${f.found.join(' ')}]`,
    );
console.log(
  `covered ${report.covered}/${report.labelled} = ${pct(report.covered, report.labelled)}; Cordon's own rules alone: ${baseline.covered}/${baseline.labelled} = ${pct(baseline.covered, baseline.labelled)}`,
);
console.log(
  JSON.stringify({
    samples_files: report.samples,
    labelled_files: report.labelled,
    covered_files: report.covered,
    coverage_share: Number(report.share.toFixed(4)),
    baseline_own_rules_covered_files: baseline.covered,
    baseline_own_rules_share: Number(baseline.share.toFixed(4)),
    ratio_vs_own_rules:
      baseline.covered === 0 ? null : Number((report.covered / baseline.covered).toFixed(2)),
    rules_loaded: all.engine.rules.length,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  }),
);
