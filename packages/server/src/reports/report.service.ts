/**
 * Generates reports on demand and keeps each one as evidence: the rendered file goes through the
 * evidence service (stored by SHA-256, a custody record, `evidence.collected` in the journal),
 * and `report.generated` records what was made from which journal head. The journal's head is
 * signed first, so the head a report names is one a checkpoint covers.
 */
import type {
  Evidence,
  EvidenceService,
  GuaranteeService,
  JournalService,
  Principal,
  SlaService,
  Store,
} from '@cordon/core';
import { actorOf, authorize, formatIncidentNumber } from '@cordon/core';
import type { IncidentReportKind } from './incident-report-document.ts';
import { incidentReportDocument } from './incident-report-document.ts';
import { readIncidentReportFacts } from './incident-report-facts.ts';
import { monthlyReportDocument, readMonthlyReportFacts } from './monthly-report.ts';
import type { ReportDocument } from './report-document.ts';
import { renderReportHtml } from './report-html.ts';
import { renderReportPdf } from './report-pdf.ts';
import { compileTemplate } from './report-template.ts';
import type { ReportTemplateService } from './report-template.service.ts';

export type ReportFormat = 'pdf' | 'html';

export interface ReportRequest {
  readonly formats: readonly ReportFormat[];
  /** An HTML template (the tenant's adaptation); the default one when absent. */
  readonly template?: string | undefined;
}

export interface GeneratedReport {
  readonly document: ReportDocument;
  readonly files: readonly { readonly format: ReportFormat; readonly evidence: Evidence }[];
}

export interface ReportServiceOptions {
  readonly store: Store;
  readonly clock: { now(): number };
  readonly evidence: EvidenceService;
  readonly journal: JournalService;
  /** The tenant's SLA results and guarantee statement for the monthly report. */
  readonly sla?: SlaService;
  readonly guarantee?: GuaranteeService;
  /** The tenant's stored templates, used when a request brings none. */
  readonly templates?: ReportTemplateService;
}

/** The template a report is made with, and where it came from (journaled with the report). */
interface ChosenTemplate {
  readonly text: string | undefined;
  readonly source: 'default' | 'request' | 'stored';
  readonly sha256: string | null;
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

export class ReportService {
  readonly #o: ReportServiceOptions;

  constructor(options: ReportServiceOptions) {
    this.#o = options;
  }

  async incidentReport(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    kind: IncidentReportKind,
    request: ReportRequest,
  ): Promise<GeneratedReport> {
    authorize(principal, tenantId, 'evidence:write');
    // A bad template is refused before anything is written.
    const template = await this.#chooseTemplate(tenantId, kind, request);
    await this.#o.journal.checkpoint(tenantId);
    const facts = await readIncidentReportFacts(this.#o.store, tenantId, incidentId);
    const document = incidentReportDocument(kind, facts, {
      generatedAt: this.#o.clock.now(),
      generatedBy: actorOf(principal),
    });
    const name = `${formatIncidentNumber(facts.incident)}-${kind.replace('_', '-')}`;
    return this.store(principal, tenantId, { document, incidentId, name, request, template });
  }

  async monthlyReport(
    principal: Principal,
    tenantId: string,
    month: string,
    request: ReportRequest,
  ): Promise<GeneratedReport> {
    authorize(principal, tenantId, 'evidence:write');
    const template = await this.#chooseTemplate(tenantId, 'monthly', request);
    const facts = await readMonthlyReportFacts(this.#o.store, tenantId, month);
    const { sla, guarantee } = this.#o;
    const slaReport = await sla?.report(principal, tenantId, {
      from: facts.from,
      to: facts.to,
      limit: 1_000,
    });
    const hasGuarantee = ((await guarantee?.contracts(principal, tenantId)) ?? []).length > 0;
    const document = monthlyReportDocument(
      facts,
      { generatedAt: this.#o.clock.now(), generatedBy: actorOf(principal) },
      {
        sla: slaReport?.covered ? slaReport : undefined,
        guarantee: hasGuarantee
          ? await guarantee?.monthStatement(principal, tenantId, month)
          : undefined,
      },
    );
    return this.store(principal, tenantId, {
      document,
      incidentId: null,
      name: `monthly-report-${month}`,
      request,
      template,
    });
  }

  /** The request's template (checked here), else the tenant's stored one, else the default. */
  async #chooseTemplate(
    tenantId: string,
    kind: IncidentReportKind | 'monthly',
    request: ReportRequest,
  ): Promise<ChosenTemplate> {
    if (request.template !== undefined) {
      compileTemplate(request.template);
      return { text: request.template, source: 'request', sha256: null };
    }
    const stored = await this.#o.templates?.storedFor(tenantId, kind);
    if (!stored) return { text: undefined, source: 'default', sha256: null };
    return { text: stored.template, source: 'stored', sha256: stored.sha256 };
  }

  /** Renders `document` in each format, stores each file as evidence and journals the report. */
  async store(
    principal: Principal,
    tenantId: string,
    input: {
      readonly document: ReportDocument;
      readonly incidentId: string | null;
      readonly name: string;
      readonly request: ReportRequest;
      /** Default: the request's template, else the default one. */
      readonly template?: ChosenTemplate;
    },
  ): Promise<GeneratedReport> {
    const { document, incidentId, request } = input;
    const template: ChosenTemplate = input.template ?? {
      text: request.template,
      source: request.template === undefined ? 'default' : 'request',
      sha256: null,
    };
    const head = document.journalHead;
    const files: { format: ReportFormat; evidence: Evidence }[] = [];
    for (const format of new Set(request.formats)) {
      const bytes =
        format === 'pdf'
          ? await renderReportPdf(document)
          : Buffer.from(renderReportHtml(document, template.text), 'utf8');
      const evidence = await this.#o.evidence.add(
        principal,
        tenantId,
        {
          filename: `${input.name}.${format}`,
          mediaType: format === 'pdf' ? 'application/pdf' : 'text/html; charset=utf-8',
          description: `${document.title}, ${document.reference}`,
          incidentId,
          collectedFrom: 'cordon report generator',
          method: `rendered by Cordon from the stored records${head ? ` at journal entry ${head.seq} (${head.hash})` : ''}${template.source === 'default' ? '' : ' with the tenant template'}`,
        },
        once(bytes),
      );
      files.push({ format, evidence });
    }
    await this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).journal.append({
        actor: actorOf(principal),
        kind: 'report.generated',
        incidentId,
        payload: {
          report: document.kind,
          reference: document.reference,
          journalHead: head,
          files: files.map((f) => ({
            format: f.format,
            evidenceId: f.evidence.id,
            sha256: f.evidence.sha256,
          })),
          template: template.source === 'request' ? 'tenant' : template.source,
          ...(template.sha256 === null ? {} : { templateSha256: template.sha256 }),
        },
      }),
    );
    return { document, files };
  }
}
