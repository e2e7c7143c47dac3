/**
 * Reading the journal and signing checkpoints of its head. Checkpoints are signed when the
 * head moved, by the server every few seconds, at shutdown and by the admin commands; each
 * one is chained to the journal's previous checkpoint (its number, and the hash of the one
 * before) and, once committed, handed to every witness outside the database. The entries
 * after the latest checkpoint are protected by the hash chain until the next one.
 */
import type { Principal } from '../access/principal.ts';
import { authorize } from '../access/principal.ts';
import type { JournalCheckpoint } from '../journal/checkpoint.ts';
import { checkpointMessage, nextChainLink } from '../journal/checkpoint.ts';
import type { JournalEntry } from '../journal/journal-entry.ts';
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
}

export class JournalService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #signer: Signer;
  readonly #witnesses: readonly CheckpointWitness[];
  readonly #onWitnessError: (witness: CheckpointWitness, error: unknown) => void;

  constructor(options: JournalServiceOptions) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#signer = options.signer;
    this.#witnesses = options.witnesses ?? [];
    this.#onWitnessError = options.onWitnessError ?? (() => undefined);
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
