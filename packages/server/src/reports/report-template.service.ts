/**
 * A tenant's stored report templates: one per report kind, replaced as a whole, checked by the
 * template parser before anything is stored (a bad one is refused with the line of the
 * problem), at most 64 KiB, and journaled (`report.template_set` with the template's SHA-256
 * and size, `report.template_deleted`). Reading needs what reading reports needs; changing one
 * needs what making a report needs, since a per-request template could do the same.
 */
import type {
  Principal,
  ReportTemplateKind,
  ReportTemplateRepository,
  Store,
  StoredReportTemplate,
} from '@cordon/core';
import { actorOf, authorize, notFound } from '@cordon/core';
import { createHash } from 'node:crypto';
import { compileTemplate } from './report-template.ts';

export class ReportTemplateService {
  readonly #store: Store;
  readonly #clock: { now(): number };

  constructor(options: { readonly store: Store; readonly clock: { now(): number } }) {
    this.#store = options.store;
    this.#clock = options.clock;
  }

  async list(principal: Principal, tenantId: string): Promise<StoredReportTemplate[]> {
    authorize(principal, tenantId, 'evidence:read');
    return this.#templates(tenantId, (t) => t.list());
  }

  async get(
    principal: Principal,
    tenantId: string,
    kind: ReportTemplateKind,
  ): Promise<StoredReportTemplate> {
    authorize(principal, tenantId, 'evidence:read');
    const stored = await this.#templates(tenantId, (t) => t.get(kind));
    if (!stored) throw notFound(`${kind} report template`);
    return stored;
  }

  /** The stored template of `kind`, if any, for the report service (already authorized). */
  async storedFor(
    tenantId: string,
    kind: ReportTemplateKind,
  ): Promise<StoredReportTemplate | undefined> {
    return this.#templates(tenantId, (t) => t.get(kind));
  }

  async set(
    principal: Principal,
    tenantId: string,
    kind: ReportTemplateKind,
    template: string,
  ): Promise<StoredReportTemplate> {
    authorize(principal, tenantId, 'evidence:write');
    compileTemplate(template);
    const bytes = Buffer.from(template, 'utf8');
    const stored: StoredReportTemplate = {
      tenantId,
      kind,
      template,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length,
      updatedBy: actorOf(principal),
      updatedAt: this.#clock.now(),
    };
    await this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const previous = await scope.reportTemplates.get(kind);
      await scope.reportTemplates.put(stored);
      await scope.journal.append({
        actor: stored.updatedBy,
        kind: 'report.template_set',
        payload: {
          report: kind,
          sha256: stored.sha256,
          bytes: stored.bytes,
          replaced: previous?.sha256 ?? null,
        },
      });
    });
    return stored;
  }

  async delete(principal: Principal, tenantId: string, kind: ReportTemplateKind): Promise<void> {
    authorize(principal, tenantId, 'evidence:write');
    await this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const previous = await scope.reportTemplates.get(kind);
      if (!previous || !(await scope.reportTemplates.delete(kind)))
        throw notFound(`${kind} report template`);
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'report.template_deleted',
        payload: { report: kind, sha256: previous.sha256 },
      });
    });
  }

  async #templates<T>(
    tenantId: string,
    read: (templates: ReportTemplateRepository) => Promise<T>,
  ): Promise<T> {
    return this.#store.transaction(async (uow) => read(uow.forTenant(tenantId).reportTemplates));
  }
}
