/** `scope.recovery`: the recovery, verification and closure repositories of one tenant. */
import type { RecoveryRepositories } from '@cordon/core';
import type { Db } from '../preparation/tenant-bound.ts';
import { KyselyClosingReviewRepository } from './closing-review.repository.ts';
import {
  KyselyChangeRecordRepository,
  KyselyContainmentReleaseRepository,
  KyselyRestoreRepository,
} from './recovery-records.repositories.ts';
import {
  KyselyVerificationCheckRepository,
  KyselyVerificationRunRepository,
} from './verification.repositories.ts';

export function recoveryRepositories(db: Db, tenantId: string): RecoveryRepositories {
  return {
    changes: new KyselyChangeRecordRepository(db, tenantId),
    restores: new KyselyRestoreRepository(db, tenantId),
    releases: new KyselyContainmentReleaseRepository(db, tenantId),
    checks: new KyselyVerificationCheckRepository(db, tenantId),
    runs: new KyselyVerificationRunRepository(db, tenantId),
    reviews: new KyselyClosingReviewRepository(db, tenantId),
  };
}
