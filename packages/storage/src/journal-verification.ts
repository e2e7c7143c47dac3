/**
 * Verifies a tenant's journal straight from the database, for `cordon verify journal`, against
 * what is kept outside it when given: the witness file and the head the operator expects.
 */
import type {
  CheckpointCoverage,
  ExpectedHead,
  JournalVerification,
  SignatureCheck,
} from '@cordon/core';
import { PLATFORM_JOURNAL, verifyJournal } from '@cordon/core';
import type { KyselyStore } from './kysely-store.ts';
import { readWitness } from './witness/read-witness.ts';

export interface StoredJournalAnchors {
  /** A witness file to check the checkpoints against. */
  readonly witnessPath?: string | undefined;
  readonly expectHead?: ExpectedHead | undefined;
  /** Fail on entries no checkpoint covers for longer than this allows. */
  readonly coverage?: CheckpointCoverage | undefined;
}

export async function verifyStoredJournal(
  store: KyselyStore,
  tenantId: string,
  verifySignature: SignatureCheck,
  anchors: StoredJournalAnchors = {},
): Promise<JournalVerification> {
  const witness =
    anchors.witnessPath === undefined
      ? undefined
      : await readWitness(anchors.witnessPath, tenantId);
  return store.transaction(async (uow) => {
    const journal =
      tenantId === PLATFORM_JOURNAL ? uow.platformJournal : uow.forTenant(tenantId).journal;
    return verifyJournal({
      tenantId,
      entries: journal.scan(),
      // The head is the last stored entry; a cut tail is caught by the checkpoints and anchors.
      head: undefined,
      checkpoints: await journal.checkpoints(),
      verifySignature,
      witness,
      expectHead: anchors.expectHead,
      coverage: anchors.coverage,
    });
  });
}
