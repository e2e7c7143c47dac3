/**
 * The `Store` port over Kysely: one transaction per unit of work, with repositories bound to
 * that transaction (and, for tenant data, to one tenant).
 */
import type { Clock, Store, TenantScope, UnitOfWork } from '@cordon/core';
import { PLATFORM_JOURNAL, systemClock } from '@cordon/core';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from './database/open-database.ts';
import type { CordonDatabase } from './database/schema.ts';
import { KyselyEventStore } from './events/kysely-event-store.ts';
import { KyselyJournalRepository } from './repositories/journal.repository.ts';
import {
  KyselyApiTokenRepository,
  KyselySessionRepository,
  KyselyTenantRepository,
  KyselyUserRepository,
} from './repositories/platform.repositories.ts';
import {
  KyselyEnrolmentTokenConsumer,
  containmentRepositories,
} from './repositories/containment.repositories.ts';
import { eradicationRepositories } from './repositories/eradication.repositories.ts';
import { contractRepositories } from './repositories/contracts/contract-repositories.ts';
import { KyselyDemoTenantRepository } from './repositories/console/kysely-demo-tenant-repository.ts';
import { KyselyOverviewQueries } from './repositories/console/kysely-overview-queries.ts';
import { detectionRepositories } from './repositories/detection/detection-repositories.ts';
import { preparationRepositories } from './repositories/preparation/preparation-repositories.ts';
import { recoveryRepositories } from './repositories/recovery/recovery-repositories.ts';
import { KyselyIdentificationRepository } from './repositories/identification/identification.repository.ts';
import { KyselyDetectorRepository } from './repositories/detection/detector.repository.ts';
import { playbookRepositories } from './repositories/playbooks/playbook.repositories.ts';
import { guaranteeRepositories } from './repositories/guarantee/guarantee.repositories.ts';
import { KyselyReportTemplateRepository } from './repositories/reports/report-template.repository.ts';
import { notificationRepositories } from './repositories/notifications/notification.repositories.ts';
import { KyselyWatchlistRepository } from './repositories/intel/watchlist.repository.ts';
import {
  KyselyAlertLinkRepository,
  KyselyEvidenceRepository,
  KyselyIncidentRepository,
  KyselyMembershipRepository,
  KyselyNoteRepository,
  KyselyObservableRepository,
  KyselyTaskRepository,
  KyselyTenantTokenRepository,
  KyselyTransitionRepository,
} from './repositories/tenant.repositories.ts';

export class KyselyStore implements Store {
  readonly database: Database;
  /** Telemetry: the event store and dead letters, outside units of work (hot path). */
  readonly events: KyselyEventStore;
  readonly #clock: Clock;

  constructor(database: Database, clock: Clock = systemClock) {
    this.database = database;
    this.events = new KyselyEventStore(database, clock);
    this.#clock = clock;
  }

  async transaction<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    return this.database.kysely.transaction().execute(async (trx) => work(this.#unitOfWork(trx)));
  }

  async ping(): Promise<boolean> {
    try {
      await sql`select 1`.execute(this.database.kysely);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.database.close();
  }

  #unitOfWork(db: Kysely<CordonDatabase>): UnitOfWork {
    const journal = (tenantId: string): KyselyJournalRepository =>
      new KyselyJournalRepository({
        db,
        tenantId,
        now: () => this.#clock.now(),
        sqlite: this.database.sqlite,
      });
    const scopes = new Map<string, TenantScope>();
    return {
      tenants: new KyselyTenantRepository(db),
      users: new KyselyUserRepository(db),
      sessions: new KyselySessionRepository(db),
      apiTokens: new KyselyApiTokenRepository(db),
      platformJournal: journal(PLATFORM_JOURNAL),
      enrolmentTokens: new KyselyEnrolmentTokenConsumer(db),
      overview: new KyselyOverviewQueries(db),
      demoTenants: new KyselyDemoTenantRepository(db),
      platformWatchlists: new KyselyWatchlistRepository(db, null),
      forTenant: (tenantId: string): TenantScope => {
        let scope = scopes.get(tenantId);
        if (!scope) {
          scope = {
            tenantId,
            incidents: new KyselyIncidentRepository(db, tenantId),
            notes: new KyselyNoteRepository(db, tenantId),
            observables: new KyselyObservableRepository(db, tenantId),
            alertLinks: new KyselyAlertLinkRepository(db, tenantId),
            tasks: new KyselyTaskRepository(db, tenantId),
            transitions: new KyselyTransitionRepository(db, tenantId),
            evidence: new KyselyEvidenceRepository(db, tenantId),
            journal: journal(tenantId),
            memberships: new KyselyMembershipRepository(db, tenantId),
            tokens: new KyselyTenantTokenRepository(db, tenantId),
            preparation: preparationRepositories(db, tenantId),
            containment: containmentRepositories(db, tenantId),
            detection: detectionRepositories(db, tenantId),
            eradication: eradicationRepositories(db, tenantId),
            recovery: recoveryRepositories(db, tenantId),
            identification: new KyselyIdentificationRepository(db, tenantId),
            playbooks: playbookRepositories(db, tenantId),
            contracts: contractRepositories(db, tenantId),
            guarantee: guaranteeRepositories(db, tenantId),
            notifications: notificationRepositories(db, tenantId),
            detectors: new KyselyDetectorRepository(db, tenantId),
            watchlists: new KyselyWatchlistRepository(db, tenantId),
            reportTemplates: new KyselyReportTemplateRepository(db, tenantId),
          };
          scopes.set(tenantId, scope);
        }
        return scope;
      },
    };
  }
}
