/**
 * The composition root: opens the store, loads the server key, builds the services and the
 * Fastify app with authentication, validation, errors, metrics and OpenAPI, and starts the
 * periodic journal checkpoints. `close` undoes all of it.
 */
import type { Clock } from '@cordon/core';
import {
  AccessService,
  AssetService,
  ContinuityService,
  EvidenceService,
  EradicationService,
  GuaranteeService,
  NotificationService,
  IncidentAnalysisService,
  EventSearchService,
  IdentificationService,
  IncidentService,
  JournalService,
  LoginThrottle,
  OverviewService,
  ReadinessService,
  ReconciliationService,
  ResponsePlanService,
  SlaService,
  systemClock,
} from '@cordon/core';
import type { KyselyStore, ServerKey } from '@cordon/storage';
import {
  FileBlobStore,
  FileWitness,
  defaultWitnessPath,
  loadOrCreateSecretBox,
  loadOrCreateServerKey,
  openStore,
  signatureVerifier,
} from '@cordon/storage';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { join } from 'node:path';
import { installAuthentication } from './http/authentication.ts';
import { parseTrustedProxies } from './http/trusted-proxies.ts';
import { installUnreadBodyClose } from './http/unread-body.ts';
import { installErrorHandling } from './http/error-handler.ts';
import { installMetrics } from './http/metrics.ts';
import { assetRoutes } from './routes/asset.routes.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { evidenceRoutes } from './routes/evidence.routes.ts';
import { incidentJournalRoutes } from './routes/incident-journal.routes.ts';
import { networkRoutes } from './routes/network.routes.ts';
import { eradicationRoutes } from './routes/eradication.routes.ts';
import { analysisRoutes } from './routes/analysis.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { incidentRoutes } from './routes/incident.routes.ts';
import { identificationRoutes } from './routes/identification.routes.ts';
import { IpLocationDb } from './identification/ip-location-db.ts';
import { preparationRoutes } from './routes/preparation.routes.ts';
import { searchRoutes } from './routes/search.routes.ts';
import { deadLetterRoutes } from './routes/dead-letter.routes.ts';
import type { App, Services } from './routes/route-context.ts';
import { tenantRoutes } from './routes/tenant.routes.ts';
import { overviewRoutes } from './routes/overview.routes.ts';
import type { ServerConfig } from './server-config.ts';
import { createContainment } from './agents/containment-wiring.ts';
import { agentTelemetrySubmission } from './agents/agent-telemetry.ts';
import type { Containment } from './agents/containment-wiring.ts';
import { agentRoutes } from './routes/agent.routes.ts';
import { containmentDecisionRoutes } from './routes/containment-decision.routes.ts';
import { ContainmentDecisionService } from './decisions/containment-decision.service.ts';
import { syslogTlsIdentity } from './tls/syslog-tls.ts';
import { startIngestion } from './ingest/ingestion.ts';
import type { Ingestion } from './ingest/ingestion.ts';
import { ingestRoutes } from './routes/ingest.routes.ts';
import type { IncidentRaisedListener } from './pipeline/contracts.ts';
import { createDetection } from './detection/detection-wiring.ts';
import { rulePacksDir } from './rule-packs/installed-rule-packs.ts';
import type { Detection } from './detection/detection-wiring.ts';
import { detectorSettingsRoutes } from './routes/detector-settings.routes.ts';
import { detectionRoutes } from './routes/detection.routes.ts';
import { createIntel } from './intel/intel-wiring.ts';
import type { Intel } from './intel/intel-wiring.ts';
import { intelRoutes } from './routes/intel.routes.ts';
import { remoteWitnesses } from './journal/remote-witnesses.ts';
import { createRecovery } from './recovery/recovery-wiring.ts';
import type { Recovery } from './recovery/recovery-wiring.ts';
import { recoveryRoutes } from './routes/recovery.routes.ts';
import { verificationRoutes } from './routes/verification.routes.ts';
import { closureRoutes } from './routes/closure.routes.ts';
import { reportRoutes } from './routes/report.routes.ts';
import { ReportService } from './reports/report.service.ts';
import { ReportTemplateService } from './reports/report-template.service.ts';
import { reportTemplateRoutes } from './routes/report-template.routes.ts';
import { EvidenceBundleService } from './bundles/evidence-bundle.service.ts';
import { TenantAdmission } from './fairness/tenant-admission.ts';
import { installTenantAdmission } from './fairness/admission-hook.ts';
import { PlaybookService } from './playbooks/playbook.service.ts';
import { loadShippedPlaybooks } from './playbooks/shipped-playbooks.ts';
import { playbookRoutes } from './routes/playbook.routes.ts';
import { guaranteeRoutes } from './routes/guarantee.routes.ts';
import { notificationRoutes } from './routes/notification.routes.ts';
import { NotificationDelivery } from './notifications/notification-delivery.ts';
import { consoleStaticRoutes, liveRoutes, nextPhaseRoutes } from './console/index.ts';
import { createContracts } from './contracts/contract-wiring.ts';
import type { Contracts } from './contracts/contract-wiring.ts';
import { contractRoutes } from './routes/contract.routes.ts';

const EVENT_RETENTION_INTERVAL_MS = 3_600_000;

export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly public: boolean;
  /** The request schemas (JSON Schema), so tests can find every id a body or query carries. */
  readonly body: unknown;
  readonly querystring: unknown;
}

export interface CordonServer {
  readonly app: App;
  readonly services: Services;
  readonly store: KyselyStore;
  readonly key: ServerKey;
  readonly config: ServerConfig;
  /** Every route, as registered: the tenant-isolation test walks them all. */
  readonly routes: readonly RegisteredRoute[];
  /** Agents, containment actions and the agent gateway (`containment.listen` starts it). */
  readonly containment: Containment;
  /**
   * The telemetry pipeline (`ingestion.pipeline.addConsumer` for detection; agents hand
   * records to `pipeline.submitRecords`) and the syslog listeners as bound.
   */
  readonly ingestion: Ingestion;
  /** Called by live detection for every raised incident (auto-containment is one). */
  readonly incidentListeners: IncidentRaisedListener[];
  /** Live detection (a pipeline consumer), asset refresh from telemetry, and the alert API's service. */
  readonly detection: Detection;
  /** Watchlists (matched live, a pipeline consumer beside detection) and intel export. */
  readonly intel: Intel;
  /** Recovery, verification (with the scheduler of repeated checks) and closure. */
  readonly recovery: Recovery;
  /** CACAO playbooks and their runs on incidents. */
  readonly playbooks: PlaybookService;
  /** Containment options for an incident's servers and the decisions taken on them. */
  readonly decisions: ContainmentDecisionService;
  /** Routing of journal entries to channels and the outbox's delivery loop. */
  readonly notifications: NotificationDelivery;
  /** SLAs and regulatory clocks, with the scheduler that marks at-risk, breached, near, missed. */
  readonly contracts: Contracts;
  close(): Promise<void>;
}

export interface CreateServerOptions {
  readonly config: ServerConfig;
  readonly clock?: Clock;
  /** false to silence request logs (tests). */
  readonly logger?: boolean;
}

/**
 * Builds the server. When a step fails part-way, what the steps before it opened (the store
 * and its checkpoint worker, witness files, listeners, detection workers, schedulers) is
 * closed again, latest first, before the error is thrown: a failed start leaves nothing open
 * that would hold the data directory or keep the process alive.
 */
export async function createServer(options: CreateServerOptions): Promise<CordonServer> {
  const opened: OpenedResource[] = [];
  try {
    return await assembleServer(options, opened);
  } catch (error) {
    for (const resource of opened.reverse()) {
      try {
        await resource.close();
      } catch (closeError) {
        console.error(`closing ${resource.name} after a failed start failed`, closeError);
      }
    }
    throw error;
  }
}

/** Something a start opened, and how to close it if a later step fails. */
interface OpenedResource {
  readonly name: string;
  close(): Promise<void> | void;
}

async function assembleServer(
  options: CreateServerOptions,
  opened: OpenedResource[],
): Promise<CordonServer> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  // Background failures of the store (before the app's logger exists: to stderr).
  let reportBackground = (message: string, error: unknown): void => console.error(message, error);
  const store = await openStore({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    schema: config.databaseSchema,
    clock,
    onBackgroundError: (message, error) => reportBackground(message, error),
  });
  opened.push({ name: 'the store', close: () => store.close() });
  const key = loadOrCreateServerKey(config.dataDir);
  const journalWitnesses = [
    await FileWitness.open(config.journalWitnessPath ?? defaultWitnessPath(config.dataDir)),
    ...remoteWitnesses(config.journalWitnessRemote, (message, error) =>
      reportBackground(`journal witness ${message}`, error),
    ),
  ];
  opened.push({
    name: 'the journal witnesses',
    close: async () => {
      for (const witness of journalWitnesses) await witness.close();
    },
  });
  const geo = new IpLocationDb({
    onLoadError: (error) => reportBackground('the offline IP database could not be read', error),
  });
  const identification = new IdentificationService({ store, clock, geo });
  const services: Services = {
    store,
    access: new AccessService(store, clock, new LoginThrottle()),
    incidents: new IncidentService(store, clock, { identification }),
    identification,
    journal: new JournalService({
      store,
      clock,
      signer: key,
      verifySignature: signatureVerifier(key.publicKeyPem),
      witnesses: journalWitnesses,
      onWitnessError: (witness, error) =>
        reportBackground(`journal witness ${witness.name} failed`, error),
    }),
    evidence: new EvidenceService({
      store,
      blobs: new FileBlobStore(join(config.dataDir, 'evidence')),
      clock,
      maxBytes: config.maxEvidenceBytes,
    }),
    preparation: {
      assets: new AssetService(store, clock),
      reconciliation: new ReconciliationService(store, clock),
      continuity: new ContinuityService(store, clock),
      responsePlan: new ResponsePlanService(store, clock),
      readiness: new ReadinessService(store, clock),
    },
    events: new EventSearchService({ events: store.events, store }),
    overview: new OverviewService(store),
  };

  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            redact: [
              'req.headers.authorization',
              'req.headers.cookie',
              'req.headers["x-csrf-token"]',
            ],
          },
    bodyLimit: config.bodyLimitBytes,
    // Unknown fields are rejected, not stripped; types are not coerced in bodies.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    routerOptions: { ignoreTrailingSlash: true },
    // request.ip is the client's only behind a configured proxy (sign-in limits key on it).
    trustProxy:
      config.trustedProxies.length > 0 ? parseTrustedProxies(config.trustedProxies) : false,
  }).withTypeProvider<TypeBoxTypeProvider>();
  reportBackground = (message, error) => app.log.warn({ err: error }, message);
  opened.push({ name: 'the HTTP app', close: () => app.close() });

  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({
        method,
        url: route.url,
        public: route.config?.public === true,
        body: route.schema?.body,
        querystring: route.schema?.querystring,
      });
    }
  });

  installErrorHandling(app);
  installUnreadBodyClose(app);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cordon API',
        version: '1',
        description:
          'Incident response and containment. Authenticate with "Authorization: Bearer <token>" or a session cookie plus x-csrf-token.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  // Evidence arrives as a raw stream; the blob store reads it, hashing and counting as it goes.
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) =>
    done(null, payload),
  );
  const registry = installMetrics(app);
  installAuthentication(app, services.access);
  const admission = new TenantAdmission({ config: config.fairness, registry });
  installTenantAdmission(app, admission);

  healthRoutes(app, services, registry);
  authRoutes(app, services);
  tenantRoutes(app, services);
  incidentRoutes(app, services);
  identificationRoutes(app, services);
  evidenceRoutes(app, services);
  incidentJournalRoutes(app, services);
  networkRoutes(app, services);
  const reportTemplates = new ReportTemplateService({ store, clock });
  reportTemplateRoutes(app, reportTemplates);
  const reports = new ReportService({
    store,
    clock,
    templates: reportTemplates,
    evidence: services.evidence,
    journal: services.journal,
    sla: new SlaService({ store, clock }),
    guarantee: new GuaranteeService({ store, clock }),
  });
  reportRoutes(
    app,
    reports,
    new EvidenceBundleService({
      store,
      clock,
      key,
      evidence: services.evidence,
      journal: services.journal,
      reports,
      workDir: join(config.dataDir, 'tmp'),
    }),
  );
  assetRoutes(app, services);
  preparationRoutes(app, services);
  searchRoutes(app, services);
  deadLetterRoutes(app, services);
  eradicationRoutes(app, new EradicationService({ store, clock }));
  overviewRoutes(app, services);
  analysisRoutes(app, new IncidentAnalysisService({ store, events: store.events }));
  const containment = createContainment({
    store,
    clock,
    key,
    dataDir: config.dataDir,
    tlsCertFile: config.tlsCertFile,
    tlsKeyFile: config.tlsKeyFile,
    tlsHosts: [config.agentHost ?? config.host],
    // Agent telemetry enters the same pipeline as every other source (at-least-once from the
    // agent; the gateway drops batches it stored already). Agents connect only once
    // `containment.listen` is called, after `ingestion` exists.
    telemetrySink: async (tenantId, agent, events) => {
      await ingestion.pipeline.submitRecords(tenantId, agentTelemetrySubmission(agent, events));
    },
    warn: (message, error) => app.log.warn({ err: error }, message),
    evidence: services.evidence,
    events: store.events,
  });
  opened.push({ name: 'containment', close: () => containment.close() });
  agentRoutes(app, containment);
  const decisions = new ContainmentDecisionService({
    store,
    clock,
    queue: containment.queue,
    containment: containment.service,
    isConnected: (tenantId, agentId) => containment.gateway.isConnected(tenantId, agentId),
  });
  containmentDecisionRoutes(app, decisions);
  const playbooks = new PlaybookService({
    store,
    clock,
    queue: containment.queue,
    dispatcher: containment.dispatcher,
    events: services.events,
    shipped: loadShippedPlaybooks(),
    warn: (message, error) => app.log.warn({ err: error }, message),
  });
  opened.push({ name: 'playbooks', close: () => playbooks.close() });
  containment.transitionListeners.push(playbooks.onActionTransition);
  playbookRoutes(app, playbooks);
  const ingestion = await startIngestion({
    config: config.ingest,
    events: store.events,
    registry,
    log: app.log,
    tls: syslogTlsIdentity({
      dataDir: config.dataDir,
      certFile: config.syslogTlsCertFile,
      keyFile: config.syslogTlsKeyFile,
      hosts: [config.host],
      gatewayTls: () => containment.tls(),
    }),
    resolveTenant: async (ref) => (await services.access.resolveTenant(ref)).id,
  });
  opened.push({ name: 'ingestion', close: () => ingestion.close() });
  await ingestRoutes(app, {
    pipeline: ingestion.pipeline,
    replay: ingestion.replay,
    config: config.ingest,
    admission,
  });
  const incidentListeners: IncidentRaisedListener[] = [
    async (raised) => {
      await containment.service.onIncidentRaised(raised);
    },
  ];
  const detection = await createDetection({
    store,
    clock,
    config: config.detection,
    rulePacksDir: rulePacksDir(config.dataDir),
    reconciliation: services.preparation.reconciliation,
    identification,
    listeners: incidentListeners,
    onError: (message, error) => app.log.warn({ err: error }, message),
    registry,
    admission,
    geo,
  });
  opened.push({ name: 'detection', close: () => detection.close() });
  for (const rejected of detection.rules.rejected.slice(0, 20))
    app.log.debug({ rule: rejected.file, reason: rejected.reason }, 'detection rule not loaded');
  ingestion.pipeline.addConsumer(detection.service);
  ingestion.pipeline.addConsumer(detection.behaviour);
  ingestion.pipeline.addConsumer(detection.assetRefresh);
  detectionRoutes(app, detection);
  detectorSettingsRoutes(app, detection.detectorSettings);
  const intel = createIntel({
    store,
    clock,
    config: config.detection,
    identification,
    listeners: incidentListeners,
    onError: (message, error) => app.log.warn({ err: error }, message),
  });
  ingestion.pipeline.addConsumer(intel.matcher);
  intelRoutes(app, intel);
  const recovery = createRecovery({
    store,
    clock,
    events: store.events,
    containment,
    detection,
    limits: config.verification,
    warn: (message, error) => app.log.warn({ err: error }, message),
  });
  opened.push({ name: 'recovery', close: () => recovery.close() });
  recoveryRoutes(app, recovery);
  verificationRoutes(app, recovery);
  closureRoutes(app, recovery);
  const contracts = createContracts({
    store,
    clock,
    warn: (message, error) => app.log.warn({ err: error }, message),
  });
  opened.push({ name: 'contracts', close: () => contracts.close() });
  contractRoutes(app, contracts, () => clock.now());
  guaranteeRoutes(app, new GuaranteeService({ store, clock }));
  const notificationService = new NotificationService({
    store,
    clock,
    secrets: loadOrCreateSecretBox(config.dataDir),
  });
  // Webhook secrets stored in plaintext by an earlier version are sealed before anything runs.
  await notificationService.sealStoredSecrets();
  notificationRoutes(app, notificationService);
  const notifications = new NotificationDelivery({
    store,
    clock,
    service: notificationService,
    config: config.notifications,
    warn: (message, error) => app.log.warn({ err: error }, message),
  });
  opened.push({ name: 'notifications', close: () => notifications.close() });
  nextPhaseRoutes(app, services);
  liveRoutes(app, services);
  consoleStaticRoutes(app, config.consoleDir);
  await app.ready();
  // Runs left unfinished by the last process go on from their stored position.
  await playbooks.resumeAll();
  notifications.start();

  const timer = setInterval(() => {
    services.journal
      .checkpointAll()
      .catch((error: unknown) => app.log.warn({ err: error }, 'journal checkpoint failed'));
  }, config.checkpointIntervalMs);
  timer.unref();
  // Event retention per tenant (the event store's purge); hourly is fine for day-sized settings.
  const retentionTimer = setInterval(() => {
    store.events
      .purgeExpired(clock.now())
      .catch((error: unknown) => app.log.warn({ err: error }, 'event retention purge failed'));
  }, EVENT_RETENTION_INTERVAL_MS);
  retentionTimer.unref();

  return {
    app,
    services,
    store,
    key,
    config,
    routes,
    containment,
    ingestion,
    incidentListeners,
    detection,
    intel,
    recovery,
    playbooks,
    decisions,
    contracts,
    notifications,
    close: async () => {
      clearInterval(timer);
      clearInterval(retentionTimer);
      await playbooks.close();
      await notifications.close();
      await contracts.close();
      await recovery.close();
      await containment.close();
      await app.close();
      // After the HTTP server (no new requests), before the store: what was accepted is written.
      await ingestion.close();
      await detection.close();
      // Sign the final heads so that nothing written before shutdown is outside a checkpoint.
      await services.journal.checkpointAll().catch(() => undefined);
      for (const witness of journalWitnesses) await witness.close();
      await store.close();
    },
  };
}
