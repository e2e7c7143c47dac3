/**
 * Reading the journal and signing checkpoints of its head. Checkpoints are signed when the
 * head moved, by the server every few seconds, at shutdown and by the admin commands; each
 * one is chained to the journal's previous checkpoint (its number, and the hash of the one
 * before) and, once committed, handed to every witness outside the database. The entries
 * after the latest checkpoint are protected by the hash chain until the next one.
 */
import type { Principal } from '../access/principal.ts';
import { authorize } from '../access/principal.ts';
import { notFound } from '../errors/cordon-error.ts';
import type { JournalCheckpoint } from '../journal/checkpoint.ts';
import { checkpointMessage, nextChainLink } from '../journal/checkpoint.ts';
import type { SignatureCheck } from '../journal/checkpoint-chain-check.ts';
import type { JournalEntry } from '../journal/journal-entry.ts';
import type { JournalSpanStatus } from '../journal/journal-span-check.ts';
import { checkJournalSpan } from '../journal/journal-span-check.ts';
import type { JournalRepository } from '../ports/store.ts';
import type { CheckpointWitness } from '../ports/checkpoint-witness.ts';
import type { Clock } from '../ports/clock.ts';
import type { Signer } from '../ports/signer.ts';
import type { Store, UnitOfWork } from '../ports/store.ts';
import { PLATFORM_JOURNAL } from '../tenants/tenant.ts';

export interface JournalServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly signer: Signer;
  /** Told of every checkpoint after it committed; none: the database alone holds them. */
  readonly witnesses?: readonly CheckpointWitness[];
  /** A witness that failed (the checkpoint itself is stored). */
  readonly onWitnessError?: (witness: CheckpointWitness, error: unknown) => void;
  /** Verifies the server's checkpoint signatures; needed by `incidentJournal`. */
  readonly verifySignature?: SignatureCheck;
}

/** A page of an incident's journal entries and how far the chain behind them holds. */
export interface IncidentJournalPage {
  readonly items: readonly JournalEntry[];
  /** Pass as `afterSeq` for the next page; null on the last. */
  readonly nextAfterSeq: number | null;
  readonly chain: JournalSpanStatus;
}

/** The longest stretch of the tenant's journal one page's check reads (bounded time). */
export const MAX_CHECKED_SPAN = 10_000;
const SPAN_BATCH = 1_000;

export class JournalService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #signer: Signer;
  readonly #witnesses: readonly CheckpointWitness[];
  readonly #onWitnessError: (witness: CheckpointWitness, error: unknown) => void;
  readonly #verifySignature: SignatureCheck | undefined;

  constructor(options: JournalServiceOptions) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#signer = options.signer;
    this.#witnesses = options.witnesses ?? [];
    this.#onWitnessError = options.onWitnessError ?? (() => undefined);
    this.#verifySignature = options.verifySignature;
  }

  async list(
    principal: Principal,
    tenantId: string,
    filter: { afterSeq?: number; incidentId?: string },
    limit: number,
  ): Promise<JournalEntry[]> {
    authorize(principal, tenantId, 'journal:read');
    return this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).journal.list(filter, limit),
    );
  }

  /**
   * A page of `incidentId`'s entries (ascending, after `afterSeq`) with the check of the
   * tenant's chain from the page's first entry to the checkpoint signing its last (or the head).
   */
  async incidentJournal(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    page: { readonly afterSeq?: number; readonly limit: number },
  ): Promise<IncidentJournalPage> {
    authorize(principal, tenantId, 'journal:read');
    const verifySignature = this.#verifySignature;
    if (!verifySignature) throw new Error('JournalService has no signature verifier');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      if (!(await scope.incidents.get(incidentId))) throw notFound('incident');
      const fetched = await scope.journal.list(
        { incidentId, ...(page.afterSeq === undefined ? {} : { afterSeq: page.afterSeq }) },
        page.limit + 1,
      );
      const items = fetched.slice(0, page.limit);
      const nextAfterSeq = fetched.length > page.limit ? (items.at(-1)?.seq ?? null) : null;
      const chain = await spanStatus(scope.journal, tenantId, items, verifySignature);
      return { items, nextAfterSeq, chain };
    });
  }

  async checkpoints(principal: Principal, tenantId: string): Promise<JournalCheckpoint[]> {
    authorize(principal, tenantId, 'journal:read');
    return this.#store.transaction(async (uow) => uow.forTenant(tenantId).journal.checkpoints());
  }

  /** Signs the current head of `tenantId`'s journal if it moved since the last checkpoint. */
  async checkpoint(tenantId: string): Promise<JournalCheckpoint | undefined> {
    const checkpoint = await this.#store.transaction(async (uow) =>
      this.#checkpointWithin(uow, tenantId),
    );
    if (checkpoint) {
      // After the commit: a witness must never hold a checkpoint the database rolled back.
      for (const witness of this.#witnesses) {
        await witness.record(checkpoint).catch((error: unknown) => {
          this.#onWitnessError(witness, error);
        });
      }
    }
    return checkpoint;
  }

  async #checkpointWithin(
    uow: UnitOfWork,
    tenantId: string,
  ): Promise<JournalCheckpoint | undefined> {
    const journal =
      tenantId === PLATFORM_JOURNAL ? uow.platformJournal : uow.forTenant(tenantId).journal;
    // Appends take the same lock: the head and the chain's end stay put until the commit, and
    // two signers (the server and an admin command) cannot both sign checkpoint N.
    await journal.lock();
    const head = await journal.head();
    if (!head) return undefined;
    const latest = await journal.latestCheckpoint();
    if (latest && latest.seq >= head.seq) return undefined;
    const unsigned = {
      tenantId,
      seq: head.seq,
      hash: head.hash,
      at: this.#clock.now(),
      chain: nextChainLink(latest, head.seq),
    };
    const checkpoint: JournalCheckpoint = {
      ...unsigned,
      keyId: this.#signer.keyId,
      signature: this.#signer.sign(checkpointMessage(unsigned)),
    };
    await journal.insertCheckpoint(checkpoint);
    return checkpoint;
  }

  /** Checkpoints every tenant's journal (and the platform's) whose head moved. */
  async checkpointAll(): Promise<number> {
    const tenants = await this.#store.transaction(async (uow) => uow.tenants.list());
    let signed = 0;
    for (const id of [PLATFORM_JOURNAL, ...tenants.map((t) => t.id)]) {
      if (await this.checkpoint(id)) signed += 1;
    }
    return signed;
  }
}

async function spanStatus(
  journal: JournalRepository,
  tenantId: string,
  items: readonly JournalEntry[],
  verifySignature: SignatureCheck,
): Promise<JournalSpanStatus> {
  const first = items[0];
  const last = items.at(-1);
  if (!first || !last) return { kind: 'empty' };
  const checkpoint = await journal.checkpointCovering(last.seq);
  const head = await journal.head();
  const toSeq = checkpoint?.seq ?? head?.seq ?? last.seq;
  if (toSeq - first.seq + 1 > MAX_CHECKED_SPAN)
    return { kind: 'too_long', fromSeq: first.seq, toSeq, limit: MAX_CHECKED_SPAN };
  const entries: JournalEntry[] = [];
  let after = first.seq - 1;
  while (after < toSeq) {
    const batch = await journal.list({ afterSeq: after }, Math.min(SPAN_BATCH, toSeq - after));
    const tail = batch.at(-1);
    if (!tail) break;
    entries.push(...batch);
    after = tail.seq;
  }
  return checkJournalSpan({
    tenantId,
    fromSeq: first.seq,
    entries,
    checkpoint,
    head,
    coveredToSeq: checkpoint ? null : ((await journal.latestCheckpoint())?.seq ?? null),
    verifySignature,
  });
}
