/** The detection repositories of one tenant inside one transaction (`scope.detection`). */
import type { DetectionRepositories } from '@cordon/core';
import type { Db } from '../preparation/tenant-bound.ts';
import { KyselyAlertRepository } from './alert.repository.ts';
import {
  KyselyExclusionRepository,
  KyselySuppressionRepository,
  KyselyTenantRuleRepository,
} from './detection-settings.repositories.ts';
import { KyselyRulePackRepository } from './rule-pack.repository.ts';

export function detectionRepositories(db: Db, tenantId: string): DetectionRepositories {
  return {
    alerts: new KyselyAlertRepository(db, tenantId),
    suppressions: new KyselySuppressionRepository(db, tenantId),
    exclusions: new KyselyExclusionRepository(db, tenantId),
    rules: new KyselyTenantRuleRepository(db, tenantId),
    rulePacks: new KyselyRulePackRepository(db, tenantId),
  };
}
