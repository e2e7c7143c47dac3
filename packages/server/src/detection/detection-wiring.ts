/**
 * Builds live detection on a store: the server's rule set (compiled once), triage, the
 * `DetectionService` and the asset-refresh consumer, and the `AlertService` the API uses (its
 * rule validator knows the server's rules; its changes refresh the tenant's compiled rules).
 * Matching runs in the service's worker thread; tenant rule texts are checked in another, under
 * a time and memory budget (`TenantRuleChecker`), when submitted and before stored ones run.
 */
import type {
  AlertIdentification,
  Clock,
  GeoIpLookup,
  ReconciliationService,
  Store,
} from '@cordon/core';
import type { Registry } from 'prom-client';
import { AlertService, DetectorSettingsService, TriageService } from '@cordon/core';
import type { IncidentRaisedListener } from '../pipeline/contracts.ts';
import { AssetRefreshConsumer } from './asset-refresh.consumer.ts';
import { BehaviourService } from './behaviour.service.ts';
import { detectorCatalogue } from './detectors/detector-catalogue.ts';
import type { DetectionConfig } from './detection-config.ts';
import { detectionMetrics } from './detection-metrics.ts';
import { DetectionService } from './detection.service.ts';
import type { ServerRuleSet } from './server-rule-set.ts';
import { loadServerRuleSet } from './server-rule-set.ts';
import { TenantRuleChecker } from './tenant-rule-checker.ts';
import { installedRulePacks } from '../rule-packs/installed-rule-packs.ts';
import type { TenantAdmission } from '../fairness/tenant-admission.ts';

export interface Detection {
  readonly rules: ServerRuleSet;
  readonly service: DetectionService;
  /** The behavioural detectors (a pipeline consumer of their own, after rule matching). */
  readonly behaviour: BehaviourService;
  readonly assetRefresh: AssetRefreshConsumer;
  readonly alerts: AlertService;
  /** Per-tenant thresholds, on/off and allow-lists of the behavioural detectors. */
  readonly detectorSettings: DetectorSettingsService;
  readonly checker: TenantRuleChecker;
  /** Stops the worker threads. */
  close(): Promise<void>;
}

export async function createDetection(options: {
  readonly store: Store;
  readonly clock: Clock;
  readonly config: DetectionConfig;
  readonly reconciliation: ReconciliationService;
  /** Fills in identification facts as alerts join incidents. */
  readonly identification?: AlertIdentification;
  readonly listeners: readonly IncidentRaisedListener[];
  readonly onError: (message: string, error: unknown) => void;
  /** Where the batch metrics go (the server's `/metrics`); none in tests. */
  readonly registry?: Registry;
  /** Each tenant's share of rule checks (a submitted text runs in the one checking worker). */
  readonly admission?: TenantAdmission;
  /** Where `cordon rules update` installs rule packs (`<data>/rules/packs`); loaded at start. */
  readonly rulePacksDir?: string;
  /** Country and AS of logon sources, for the login-pattern detector. */
  readonly geo?: GeoIpLookup;
}): Promise<Detection> {
  const { store, clock, config } = options;
  const packs =
    options.rulePacksDir === undefined ? [] : await installedRulePacks(options.rulePacksDir);
  const rules = await loadServerRuleSet({
    ruleDirs: config.ruleDirs,
    shippedRules: config.shippedRules,
    packs,
  });
  const checker = new TenantRuleChecker({
    serverRules: [...rules.engine.rules, ...rules.correlations],
  });
  const triage = new TriageService(store, clock, {
    mergeWindowMs: config.mergeWindowMs,
    groupWindowMs: config.groupWindowMs,
    incidentMinLevel: config.incidentMinLevel,
    ...(options.identification ? { identification: options.identification } : {}),
  });
  const service = new DetectionService({
    store,
    clock,
    rules,
    triage,
    checker,
    listeners: options.listeners,
    alertMinLevel: config.alertMinLevel,
    onError: options.onError,
    ...(options.registry ? { onBatch: detectionMetrics(options.registry) } : {}),
  });
  await service.start();
  const behaviour = new BehaviourService({
    store,
    clock,
    triage,
    listeners: options.listeners,
    onError: options.onError,
    ...(options.geo ? { geo: options.geo } : {}),
    ...(options.registry ? { registry: options.registry } : {}),
  });
  return {
    rules,
    service,
    behaviour,
    assetRefresh: new AssetRefreshConsumer({ reconciliation: options.reconciliation }),
    alerts: new AlertService({
      store,
      clock,
      validateRules: (tenantId, yaml) =>
        options.admission
          ? options.admission.run(tenantId, 'rules', () => checker.validate(yaml))
          : checker.validate(yaml),
      onClosed: behaviour.onAlertClosed,
    }),
    detectorSettings: new DetectorSettingsService({
      store,
      clock,
      catalogue: detectorCatalogue(),
      onChange: (tenantId) => behaviour.invalidate(tenantId),
    }),
    checker,
    close: async () => {
      await service.close();
      await behaviour.close();
      await checker.close();
    },
  };
}
