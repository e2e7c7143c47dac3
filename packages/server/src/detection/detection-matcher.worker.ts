/**
 * The worker thread that runs live matching (`DetectionMatcher` starts it under a heap cap and
 * answers each batch within a time budget). It compiles the server's rule set from the
 * sources it is given, keeps one `TenantMatcher` per tenant (its own rules and correlation
 * windows), and answers a batch — events as one JSON text — with what fired. When it does not
 * hold the tenant's current rules (it was just started, or they changed) it says so, and the
 * batch comes again with the rule texts.
 */
import { workerData } from 'node:worker_threads';
import type { AlertLevel, DetectionExclusion } from '@cordon/core';
import type { IngestEvent } from '@cordon/ingest';
import type { RuleSource } from '@cordon/sigma';
import { compileServerRuleSet } from './server-rule-set.ts';
import type { RulePackRoot } from '../rule-packs/rule-pack-of.ts';
import { serveWorkerRequests } from './serve-worker-requests.ts';
import type { MatchOutcome } from './tenant-matcher.ts';
import { TenantMatcher } from './tenant-matcher.ts';

export interface MatcherSetup {
  readonly serverSources: readonly RuleSource[];
  readonly packRoots: readonly RulePackRoot[];
  readonly alertMinLevel: AlertLevel;
  readonly maxCorrelationEntries: number;
}

export interface MatchRequest {
  readonly tenantId: string;
  /** Identifies the tenant's rule texts; the worker keeps its state while it is the same. */
  readonly fingerprint: string;
  /** The tenant's rule texts; sent only when the worker asked for them. */
  readonly yamls?: readonly string[];
  readonly exclusions: readonly DetectionExclusion[];
  /** Rule packs the tenant turned off. */
  readonly disabledPacks: readonly string[];
  /** For events without a usable timestamp. */
  readonly nowMs: number;
  /** `[{ id, event }, …]` as JSON. */
  readonly events: string;
}

export type MatchReply = ({ readonly kind: 'matched' } & MatchOutcome) | { readonly kind: 'rules' };

const setup = workerData as MatcherSetup;
const server = compileServerRuleSet(setup.serverSources, setup.packRoots);
const tenants = new Map<string, TenantMatcher>();

serveWorkerRequests<MatchRequest, MatchReply>((request) => {
  let matcher = tenants.get(request.tenantId);
  if (!matcher || matcher.fingerprint !== request.fingerprint) {
    if (!request.yamls) return { kind: 'rules' };
    matcher = new TenantMatcher({
      server,
      fingerprint: request.fingerprint,
      yamls: request.yamls,
      alertMinLevel: setup.alertMinLevel,
      maxCorrelationEntries: setup.maxCorrelationEntries,
    });
    tenants.set(request.tenantId, matcher);
  }
  matcher.exclusions = request.exclusions;
  matcher.disabledPacks = new Set(request.disabledPacks);
  const events = JSON.parse(request.events) as { id: string; event: IngestEvent }[];
  return { kind: 'matched', ...matcher.match(events, request.nowMs) };
});
