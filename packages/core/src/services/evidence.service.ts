/**
 * Evidence intake and access with chain of custody. Content goes to the content-addressed
 * blob store first (streamed, size-limited, hashed); the custody record and its journal entry
 * are then written in one transaction. Reads re-check the hash and journal the access.
 */
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize } from '../access/principal.ts';
import { CordonError, notFound } from '../errors/cordon-error.ts';
import type { Evidence } from '../evidence/evidence.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import type { Clock } from '../ports/clock.ts';
import { newId } from '../ports/id-generator.ts';
import type { Page, Store } from '../ports/store.ts';

export interface EvidenceIntake {
  readonly filename: string;
  readonly mediaType?: string;
  readonly description?: string;
  readonly incidentId?: string | null;
  readonly collectedBy?: string;
  readonly collectedFrom: string;
  readonly collectedAt?: number;
  readonly method: string;
}

export class EvidenceService {
  readonly #store: Store;
  readonly #blobs: BlobStore;
  readonly #clock: Clock;
  readonly #maxBytes: number;

  constructor(options: { store: Store; blobs: BlobStore; clock: Clock; maxBytes: number }) {
    this.#store = options.store;
    this.#blobs = options.blobs;
    this.#clock = options.clock;
    this.#maxBytes = options.maxBytes;
  }

  async add(
    principal: Principal,
    tenantId: string,
    intake: EvidenceIntake,
    content: AsyncIterable<Uint8Array>,
  ): Promise<Evidence> {
    authorize(principal, tenantId, 'evidence:write');
    if (intake.incidentId) {
      const incidentId = intake.incidentId;
      await this.#store.transaction(async (uow) => {
        if (!(await uow.forTenant(tenantId).incidents.get(incidentId))) throw notFound('incident');
      });
    }
    const blob = await this.#blobs.put(content, { maxBytes: this.#maxBytes });
    const now = this.#clock.now();
    const actor = actorOf(principal);
    const evidence: Evidence = {
      id: newId(),
      tenantId,
      incidentId: intake.incidentId ?? null,
      sha256: blob.sha256,
      size: blob.size,
      filename: intake.filename,
      mediaType: intake.mediaType ?? 'application/octet-stream',
      description: intake.description ?? '',
      collectedBy: intake.collectedBy ?? actor,
      collectedFrom: intake.collectedFrom,
      collectedAt: intake.collectedAt ?? now,
      method: intake.method,
      uploadedBy: actor,
      createdAt: now,
    };
    await this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await scope.evidence.insert(evidence);
      await scope.journal.append({
        actor,
        kind: 'evidence.collected',
        incidentId: evidence.incidentId,
        payload: {
          evidenceId: evidence.id,
          sha256: evidence.sha256,
          size: evidence.size,
          filename: evidence.filename,
          collectedBy: evidence.collectedBy,
          collectedFrom: evidence.collectedFrom,
          collectedAt: evidence.collectedAt,
          method: evidence.method,
        },
      });
    });
    return evidence;
  }

  async get(principal: Principal, tenantId: string, evidenceId: string): Promise<Evidence> {
    authorize(principal, tenantId, 'evidence:read');
    return this.#store.transaction(async (uow) => {
      const evidence = await uow.forTenant(tenantId).evidence.get(evidenceId);
      if (!evidence) throw notFound('evidence');
      return evidence;
    });
  }

  async list(
    principal: Principal,
    tenantId: string,
    filter: { incidentId?: string },
    page: Page,
  ): Promise<{ total: number; items: Evidence[] }> {
    authorize(principal, tenantId, 'evidence:read');
    return this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).evidence.list(filter, page),
    );
  }

  /**
   * Opens the content for download or export. The access is journaled before any byte
   * leaves, and a hash mismatch is journaled and refused.
   */
  async open(
    principal: Principal,
    tenantId: string,
    evidenceId: string,
    purpose: 'download' | 'export',
  ): Promise<{ evidence: Evidence; content: AsyncIterable<Uint8Array> }> {
    const evidence = await this.get(principal, tenantId, evidenceId);
    const intact = await this.#blobs.verify(evidence.sha256);
    await this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).journal.append({
        actor: actorOf(principal),
        kind: intact
          ? `evidence.${purpose === 'export' ? 'exported' : 'accessed'}`
          : 'evidence.integrity_failed',
        incidentId: evidence.incidentId,
        payload: { evidenceId, sha256: evidence.sha256 },
      }),
    );
    if (!intact) {
      throw new CordonError(
        'integrity_failure',
        `evidence ${evidenceId} no longer matches its SHA-256; it was not served`,
      );
    }
    return { evidence, content: await this.#blobs.read(evidence.sha256) };
  }
}
