/** The preparation repositories of one tenant inside one transaction (`scope.preparation`). */
import type { PreparationRepositories } from '@cordon/core';
import {
  KyselyAssetRepository,
  KyselyObservedHostRepository,
  KyselyRelationRepository,
  KyselySegmentRepository,
} from './asset.repositories.ts';
import {
  KyselyBackupJobRepository,
  KyselyBusinessFunctionRepository,
} from './continuity.repositories.ts';
import {
  KyselyExerciseRepository,
  KyselyExternalContactRepository,
  KyselyOnCallRepository,
  KyselyPlanDocumentRepository,
  KyselyReadinessSnapshotRepository,
  KyselyRoleAssignmentRepository,
} from './response-plan.repositories.ts';
import type { Db } from './tenant-bound.ts';

export function preparationRepositories(db: Db, tenantId: string): PreparationRepositories {
  return {
    assets: new KyselyAssetRepository(db, tenantId),
    segments: new KyselySegmentRepository(db, tenantId),
    relations: new KyselyRelationRepository(db, tenantId),
    functions: new KyselyBusinessFunctionRepository(db, tenantId),
    backupJobs: new KyselyBackupJobRepository(db, tenantId),
    planDocuments: new KyselyPlanDocumentRepository(db, tenantId),
    roles: new KyselyRoleAssignmentRepository(db, tenantId),
    onCall: new KyselyOnCallRepository(db, tenantId),
    contacts: new KyselyExternalContactRepository(db, tenantId),
    exercises: new KyselyExerciseRepository(db, tenantId),
    observedHosts: new KyselyObservedHostRepository(db, tenantId),
    readinessSnapshots: new KyselyReadinessSnapshotRepository(db, tenantId),
  };
}
