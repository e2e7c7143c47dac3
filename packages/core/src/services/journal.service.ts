/**
 * Reading the journal and signing checkpoints of its head. Checkpoints are signed after every
 * `checkpointEvery` entries (by `maybeCheckpoint`, called after appends) and on demand; the
 * entries after the latest checkpoint are protected by the hash chain and the recorded head.
 */
import type { Principal } from '../access/principal.ts';
import { authorize } from '../access/principal.ts';
import type { JournalCheckpoint } from '../journal/checkpoint.ts';
import { checkpointMessage } from '../journal/checkpoint.ts';
import type { JournalEntry } from '../journal/journal-entry.ts';
import type { Clock } from '../ports/clock.ts';
import type { Signer } from '../ports/signer.ts';
import type { Store, UnitOfWork } from '../ports/store.ts';

export class JournalService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #signer: Signer;

  constructor(store: Store, clock: Clock, signer: Signer) {
    this.#store = store;
    this.#clock = clock;
    this.#signer = signer;
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
    return this.#store.transaction(async (uow) => this.checkpointWithin(uow, tenantId));
  }

  async checkpointWithin(
    uow: UnitOfWork,
    tenantId: string,
  ): Promise<JournalCheckpoint | undefined> {
    const journal = tenantId === 'platform' ? uow.platformJournal : uow.forTenant(tenantId).journal;
    const head = await journal.head();
    if (!head) return undefined;
    const latest = await journal.latestCheckpoint();
    if (latest && latest.seq >= head.seq) return undefined;
    const unsigned = { tenantId, seq: head.seq, hash: head.hash, at: this.#clock.now() };
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
    for (const id of ['platform', ...tenants.map((t) => t.id)]) {
      if (await this.checkpoint(id)) signed += 1;
    }
    return signed;
  }
}
