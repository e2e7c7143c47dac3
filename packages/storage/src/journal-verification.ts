/** Verifies a tenant's journal straight from the database, for `cordon verify journal`. */
import type { JournalVerification } from '@cordon/core';
import { PLATFORM_JOURNAL, verifyJournal } from '@cordon/core';
import type { KyselyStore } from './kysely-store.ts';

export async function verifyStoredJournal(
  store: KyselyStore,
  tenantId: string,
  verifySignature: (keyId: string, message: string, signature: string) => boolean,
): Promise<JournalVerification> {
  return store.transaction(async (uow) => {
    const journal =
      tenantId === PLATFORM_JOURNAL ? uow.platformJournal : uow.forTenant(tenantId).journal;
    return verifyJournal({
      tenantId,
      entries: journal.scan(),
      // The head is the last stored entry; truncation of the tail is caught by the signed checkpoints.
      head: undefined,
      checkpoints: await journal.checkpoints(),
      verifySignature,
    });
  });
}
