/**
 * The sections of incident reports, each a small function from the incident's facts to one
 * section. The full report uses them all; the executive summary and the law-enforcement
 * package pick and order the ones their readers need (`incident-report-document.ts`).
 */
import type {
  AssetFact,
  CategoryFact,
  IdentificationFact,
  JournalEntry,
  OriginFact,
  TechniqueFact,
} from '@cordon/core';
import { attackTechnique, formatIncidentNumber, incidentMetrics, presentFacts } from '@cordon/core';
import type { IncidentReportFacts } from './incident-report-facts.ts';
import type { ReportBlock, ReportSection } from './report-document.ts';
import { duration, facts, iso, table, text } from './report-document.ts';

type Section = (f: IncidentReportFacts) => ReportSection;

const valuesOf = <T>(all: readonly IdentificationFact[], kind: string): T[] =>
  presentFacts(all)
    .filter((x) => x.kind === kind)
    .map((x) => x.value as T);

const none = (what: string): ReportBlock => text(`No ${what} recorded.`);

/** A short, bounded rendering of a journal payload's plain fields. */
export function payloadSummary(payload: unknown, max = 240): string {
  if (payload === null || payload === undefined) return '';
  if (typeof payload !== 'object') return JSON.stringify(payload);
  const parts: string[] = [];
  for (const [key, value] of Object.entries(payload)) {
    if (value === null || value === undefined || typeof value === 'object') continue;
    parts.push(`${key}=${String(value)}`);
  }
  const joined = parts.join(', ');
  return joined.length > max ? `${joined.slice(0, max - 1)}…` : joined;
}

export const summarySection: Section = (f) => {
  const i = f.incident;
  const category = valuesOf<CategoryFact>(f.identification, 'category')[0];
  return {
    key: 'summary',
    heading: 'Summary',
    blocks: [
      facts([
        ['Reference', formatIncidentNumber(i)],
        ['Title', i.title],
        ['Severity', i.severity],
        ['Phase', i.phase],
        ['Category', category?.category ?? '—'],
        ['Opened', iso(i.createdAt)],
        ['First activity', iso(i.firstActivityAt)],
        ['Closure', i.closureReason ?? 'open'],
        ['Root cause', i.rootCause ?? '—'],
        ['Scope', i.scope ?? '—'],
      ]),
      ...(i.summary ? [text(i.summary)] : []),
    ],
  };
};

export const timelineSection: Section = (f) => {
  const rows: string[][] = [];
  if (f.incident.firstActivityAt != null)
    rows.push([iso(f.incident.firstActivityAt), '—', 'first malicious activity', '']);
  for (const e of f.journal) rows.push([iso(e.at), String(e.seq), e.kind, timelineDetail(e)]);
  return {
    key: 'timeline',
    heading: 'Timeline',
    blocks: [
      table(['Time (UTC)', 'Journal entry', 'What', 'Detail'], rows),
      ...(f.journalTruncated
        ? [text('The timeline is cut at its first 2,000 journal entries.')]
        : []),
    ],
  };
};

function timelineDetail(e: JournalEntry): string {
  const summary = payloadSummary(e.payload);
  return summary ? `${e.actor}: ${summary}` : e.actor;
}

export const assetsSection: Section = (f) => {
  const assets = valuesOf<AssetFact>(f.identification, 'asset');
  const rows = assets.map((a) => [
    a.name,
    a.assetKind ?? '—',
    a.criticality ?? '—',
    a.segment?.name ?? '—',
    a.functions
      .map((fn) => `${fn.name} (MTD ${fn.mtdMinutes} min, ${fn.costPerHour}/h)`)
      .join('; ') || '—',
  ]);
  const listed = f.incident.affectedAssets.filter((name) => !assets.some((a) => a.name === name));
  for (const name of listed) rows.push([name, '—', '—', '—', '—']);
  return {
    key: 'assets',
    heading: 'Affected assets and business functions',
    blocks: rows.length
      ? [table(['Asset', 'Kind', 'Criticality', 'Segment', 'Business functions'], rows)]
      : [none('affected assets')],
  };
};

export const identificationSection: Section = (f) => {
  const techniques = valuesOf<TechniqueFact>(f.identification, 'technique');
  const ids = new Set(techniques.map((t) => t.id));
  const rows = techniques.map((t) => [
    t.id,
    t.name ?? '(not in the catalogue)',
    t.tactics.join(', '),
  ]);
  for (const id of f.incident.attackTechniques.filter((t) => !ids.has(t)))
    rows.push([id, attackTechnique(id)?.name ?? '(not in the catalogue)', '']);
  const origins = valuesOf<OriginFact>(f.identification, 'origin').map((o) => [
    o.address,
    o.class,
    o.segment?.name ?? o.range ?? '—',
    [o.country, o.asn ? `AS${o.asn}` : null, o.asOrganisation].filter(Boolean).join(' ') || '—',
  ]);
  for (const o of f.incident.origins.filter((x) => !origins.some((r) => r[0] === x.address)))
    origins.push([o.address, o.scope, '—', o.note ?? '—']);
  return {
    key: 'identification',
    heading: 'Identification (MITRE ATT&CK)',
    blocks: [
      rows.length ? table(['Technique', 'Name', 'Tactics'], rows) : none('ATT&CK techniques'),
      origins.length
        ? table(['Origin', 'Class', 'Segment / range', 'Location'], origins)
        : none('origins'),
    ],
  };
};

export const containmentSection: Section = (f) => {
  const blocks: ReportBlock[] = [];
  if (f.incident.containmentNote)
    blocks.push(text(`Containment record: ${f.incident.containmentNote}`));
  for (const d of f.decisions) {
    blocks.push(
      facts([
        ['Decision', `${d.option} on ${d.assetName}`],
        ['State', d.state],
        ['Decided', `${iso(d.decidedAt)} by ${d.decidedBy}`],
        ['Rationale', d.rationale],
        ...decisionFigures(d.snapshot, d.option),
        ...(d.failover
          ? ([['Failover', `${d.failover.peerName}: ${d.failover.state}`]] as const)
          : []),
      ]),
    );
  }
  if (blocks.length === 0) blocks.push(none('containment decision'));
  return { key: 'containment', heading: 'Containment decisions', blocks };
};

/** The figures the decision was taken on: the chosen option's plain fields, as stored. */
function decisionFigures(snapshot: unknown, option: string): [string, string][] {
  const options = (snapshot as { options?: unknown } | null)?.options;
  if (!Array.isArray(options)) return [];
  const chosen: unknown = options.find((o) => (o as { option?: unknown }).option === option);
  if (chosen === null || typeof chosen !== 'object') return [];
  return Object.entries(chosen)
    .filter(([k, v]) => k !== 'option' && v !== null && typeof v !== 'object')
    .slice(0, 20)
    .map(([k, v]) => [`Figure: ${k}`, String(v)]);
}

export const actionsSection: Section = (f) => ({
  key: 'actions',
  heading: 'Actions and results',
  blocks: f.actions.length
    ? [
        table(
          ['Requested (UTC)', 'Action', 'Agent', 'State', 'Requested by', 'Approvals', 'Result'],
          f.actions.map((a) => [
            iso(a.createdAt),
            a.action.kind,
            a.agentId.slice(0, 8),
            a.state,
            a.requestedBy,
            a.approvals.map((x) => x.by).join(', ') || '—',
            a.detail ?? '',
          ]),
        ),
      ]
    : [none('agent actions')],
});

export const evidenceSection: Section = (f) => {
  const custody = f.journal.filter((e) => {
    const id = (e.payload as { evidenceId?: unknown } | null)?.evidenceId;
    return e.kind.startsWith('evidence.') && typeof id === 'string';
  });
  return {
    key: 'evidence',
    heading: 'Evidence and chain of custody',
    blocks: f.evidence.length
      ? [
          table(
            ['File', 'SHA-256', 'Bytes', 'Collected', 'By', 'From', 'Method'],
            f.evidence.map((e) => [
              e.filename,
              e.sha256,
              String(e.size),
              iso(e.collectedAt),
              e.collectedBy,
              e.collectedFrom,
              e.method,
            ]),
          ),
          table(
            ['Journal entry', 'Time (UTC)', 'Custody event', 'Actor', 'Evidence'],
            custody.map((e) => [
              String(e.seq),
              iso(e.at),
              e.kind,
              e.actor,
              String((e.payload as { evidenceId: string }).evidenceId).slice(0, 8),
            ]),
          ),
        ]
      : [none('evidence')],
  };
};

const taskRows = (f: IncidentReportFacts, phase: string): string[][] =>
  f.tasks
    .filter((t) => t.phase === phase)
    .map((t) => [
      t.title,
      t.status,
      t.completedBy ?? '—',
      iso(t.completedAt),
      t.waiverReason ?? '',
    ]);

export const eradicationSection: Section = (f) => {
  const rows = taskRows(f, 'eradicated');
  const removals = f.actions.filter((a) =>
    ['remove-persistence', 'quarantine-file'].includes(a.action.kind),
  );
  for (const a of removals)
    rows.push([
      `${a.action.kind} (agent action)`,
      a.state,
      a.requestedBy,
      iso(a.updatedAt),
      a.detail ?? '',
    ]);
  return {
    key: 'eradication',
    heading: 'Eradication',
    blocks: rows.length
      ? [table(['Step', 'State', 'By', 'Done (UTC)', 'Note'], rows)]
      : [none('eradication steps')],
  };
};

export const recoverySection: Section = (f) => ({
  key: 'recovery',
  heading: 'Recovery changes',
  blocks: [
    f.changes.length
      ? table(
          ['Changed (UTC)', 'Area', 'Change', 'Why', 'By', 'Mitigation'],
          f.changes.map((c) => [
            iso(c.changedAt),
            c.area,
            c.title,
            c.reason,
            c.changedBy,
            c.mitigationId ?? '—',
          ]),
        )
      : none('change records'),
    ...(f.restores.length
      ? [
          table(
            ['Restore', 'Restore point', 'Status', 'Detail'],
            f.restores.map((r) => [
              r.backupJobId.slice(0, 8),
              r.restorePointLabel ?? iso(r.restorePointAt),
              r.status,
              r.detail ?? '',
            ]),
          ),
        ]
      : []),
  ],
});

export const verificationSection: Section = (f) => ({
  key: 'verification',
  heading: 'Verification results',
  blocks: f.checks.length
    ? [
        table(
          ['Check', 'Kind', 'Latest result', 'Runs'],
          f.checks.map((c) => [
            c.title,
            c.spec.kind,
            c.lastStatus ?? 'not run',
            String(f.runs.filter((r) => r.checkId === c.id).length),
          ]),
        ),
        table(
          ['Started (UTC)', 'Check', 'Status', 'Reason'],
          f.runs.map((r) => [
            iso(r.startedAt),
            f.checks.find((c) => c.id === r.checkId)?.title ?? r.checkId,
            r.status,
            r.reason ?? '',
          ]),
        ),
      ]
    : [none('verification checks')],
});

export const lessonsSection: Section = (f) => {
  const r = f.review;
  const blocks: ReportBlock[] = r
    ? [
        facts([
          ['What happened', r.whatHappened],
          ['What worked', r.whatWorked],
          ['What to change', r.whatToChange],
          ['Reviewed by', `${r.author}, ${iso(r.updatedAt)}`],
        ]),
        ...(r.followUps.length
          ? [
              table(
                ['Follow-up', 'Owner', 'Due', 'Done'],
                r.followUps.map((x) => [x.title, x.owner, iso(x.dueAt), x.done ? 'yes' : 'no']),
              ),
            ]
          : []),
      ]
    : [];
  if (f.incident.lessonsLearned) blocks.push(text(f.incident.lessonsLearned));
  return {
    key: 'lessons',
    heading: 'Lessons learned and review',
    blocks: blocks.length ? blocks : [none('review')],
  };
};

export const metricsSection: Section = (f) => {
  const m = incidentMetrics(f.incident);
  return {
    key: 'metrics',
    heading: 'Metrics',
    blocks: [
      facts([
        ['Time to detect', duration(m.timeToDetectMs)],
        ['Time to acknowledge', duration(m.timeToAcknowledgeMs)],
        ['Time to identify', duration(m.timeToIdentifyMs)],
        ['Time to contain', duration(m.timeToContainMs)],
        ['Time to eradicate', duration(m.timeToEradicateMs)],
        ['Time to recover', duration(m.timeToRecoverMs)],
        ['Time to verify', duration(m.timeToVerifyMs)],
        ['Time to close', duration(m.timeToCloseMs)],
      ]),
    ],
  };
};

export const journalSection: Section = (f) => ({
  key: 'journal',
  heading: 'Journal',
  blocks: [
    facts([
      ['Entries about this incident', String(f.journal.length)],
      ['Journal head', f.head ? `entry ${f.head.seq}` : '—'],
      ['Head hash', f.head?.hash ?? '—'],
      [
        'Latest signed checkpoint',
        f.checkpoint
          ? `${f.checkpoint.chain ? `checkpoint ${f.checkpoint.chain.number}, ` : ''}entry ${f.checkpoint.seq}, ${iso(f.checkpoint.at)}, key ${f.checkpoint.keyId}`
          : '—',
      ],
    ]),
    text(
      'Every entry holds the SHA-256 of the one before it and the server signs checkpoints of the head; `cordon verify journal` and `cordon verify bundle` recompute both offline.',
    ),
  ],
});
