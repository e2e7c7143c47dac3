/** What route modules receive: the typed Fastify instance and the services. */
import type {
  AccessService,
  AssetService,
  ContinuityService,
  ReadinessService,
  ReconciliationService,
  ResponsePlanService,
  EvidenceService,
  EventSearchService,
  IdentificationService,
  IncidentService,
  JournalService,
  OverviewService,
  Store,
} from '@cordon/core';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface Services {
  readonly store: Store;
  readonly access: AccessService;
  readonly incidents: IncidentService;
  readonly journal: JournalService;
  readonly evidence: EvidenceService;
  readonly preparation: PreparationServices;
  /** Event search and dead letters (read side of the event store). */
  readonly events: EventSearchService;
  /** The console's overview figures (one tenant, or every tenant the caller may see). */
  readonly overview: OverviewService;
  /** Identification facts of incidents and the analyst's corrections. */
  readonly identification: IdentificationService;
}

/** Network documentation, continuity, the response plan and readiness. */
export interface PreparationServices {
  readonly assets: AssetService;
  readonly reconciliation: ReconciliationService;
  readonly continuity: ContinuityService;
  readonly responsePlan: ResponsePlanService;
  readonly readiness: ReadinessService;
}
