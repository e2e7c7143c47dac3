/**
 * Which sections each incident report holds, in order: the full report everything; the
 * executive summary what the client's management needs (what happened, what it touched, what
 * was done, where it stands, what changes); the law-enforcement package the facts of the attack,
 * the timeline, the evidence with its custody and how to verify the journal.
 */
import { formatIncidentNumber } from '@cordon/core';
import type { IncidentReportFacts } from './incident-report-facts.ts';
import * as s from './incident-report-sections.ts';
import type { ReportDocument, ReportSection } from './report-document.ts';

export type IncidentReportKind = 'full' | 'executive' | 'law_enforcement';

const LAYOUTS: Record<
  IncidentReportKind,
  {
    readonly title: string;
    readonly sections: readonly ((f: IncidentReportFacts) => ReportSection)[];
  }
> = {
  full: {
    title: 'Incident report',
    sections: [
      s.summarySection,
      s.timelineSection,
      s.assetsSection,
      s.identificationSection,
      s.containmentSection,
      s.actionsSection,
      s.evidenceSection,
      s.eradicationSection,
      s.recoverySection,
      s.verificationSection,
      s.lessonsSection,
      s.metricsSection,
      s.journalSection,
    ],
  },
  executive: {
    title: 'Executive summary',
    sections: [
      s.summarySection,
      s.assetsSection,
      s.containmentSection,
      s.metricsSection,
      s.lessonsSection,
      s.journalSection,
    ],
  },
  law_enforcement: {
    title: 'Law-enforcement package',
    sections: [
      s.summarySection,
      s.identificationSection,
      s.timelineSection,
      s.evidenceSection,
      s.actionsSection,
      s.journalSection,
    ],
  },
};

export function incidentReportDocument(
  kind: IncidentReportKind,
  facts: IncidentReportFacts,
  meta: { readonly generatedAt: number; readonly generatedBy: string },
): ReportDocument {
  const layout = LAYOUTS[kind];
  const { head, checkpoint } = facts;
  return {
    kind,
    title: layout.title,
    reference: formatIncidentNumber(facts.incident),
    tenantName: facts.tenantName,
    generatedAt: meta.generatedAt,
    generatedBy: meta.generatedBy,
    journalHead: head
      ? {
          seq: head.seq,
          hash: head.hash,
          checkpoint: checkpoint?.seq === head.seq ? (checkpoint.chain?.number ?? null) : null,
        }
      : null,
    sections: layout.sections.map((section) => section(facts)),
  };
}
