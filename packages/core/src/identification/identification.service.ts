/**
 * Identification, filled in. When an alert joins an incident (triage groups it, or an analyst
 * links it), the facts it carries are merged into the incident's identification facts — in
 * the caller's transaction, journalled — and carried into the incident's fields so that the
 * *identified* guard sees them. Analysts read the facts with their sources and correct them;
 * a corrected or removed fact is the analyst's from then on, whatever later alerts say.
 */
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize } from '../access/principal.ts';
import { attackCatalogueInfo, attackTactic, attackTechnique } from '../attack/attack-catalogue.ts';
import { assetIndex } from '../assets/asset-matching.ts';
import type { Alert } from '../detection/alert.ts';
import { CordonError, notFound } from '../errors/cordon-error.ts';
import type { Incident } from '../incidents/incident.ts';
import { canonicalJson } from '../journal/canonical-json.ts';
import type { Clock } from '../ports/clock.ts';
import type { Store, TenantScope } from '../ports/store.ts';
import { deriveAttackCategory } from './attack-category-mapping.ts';
import type { GeoIpLookup } from './geo-ip-lookup.ts';
import type { CorrectedFact, IdentificationCorrection } from './identification-correction.ts';
import type {
  FactSource,
  IdentificationFact,
  IdentificationFactValue,
} from './identification-fact.ts';
import { MAX_FACT_SOURCES } from './identification-fact.ts';
import { identifiedChanges } from './identified-fields.ts';
import type { InferredFact, Inventory } from './infer-identification.ts';
import {
  assetFact,
  inferFromAlert,
  originFact,
  resolveHost,
  unresolvedAssetFact,
} from './infer-identification.ts';

export interface IncidentIdentification {
  readonly incidentId: string;
  readonly facts: readonly IdentificationFact[];
  readonly catalogue: ReturnType<typeof attackCatalogueInfo>;
  /** The offline IP database used for country and ASN, as name@version; null if none. */
  readonly geoDatabase: string | null;
}

export interface IdentificationServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** The offline IP database; without it, external origins get no country or ASN. */
  readonly geo?: GeoIpLookup;
}

const INFERENCE_ACTOR = 'system:identification';

export class IdentificationService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #geo: GeoIpLookup | undefined;

  constructor(options: IdentificationServiceOptions) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#geo = options.geo;
  }

  /** Loads the offline IP database ahead of the first alert (see `GeoIpLookup.warm`). */
  async warm(): Promise<void> {
    await this.#geo?.warm?.();
  }

  /**
   * An alert joined the incident (or the incident opened with it): merges what it says into
   * the facts, inside the caller's transaction. Returns the incident as it now stands.
   */
  async alertJoined(
    scope: TenantScope,
    incident: Incident,
    alert: Alert,
    now: number,
  ): Promise<Incident> {
    const inventory = await loadInventory(scope);
    const inferred = await inferFromAlert(alert, inventory, this.#geo);
    return this.#merge(scope, incident, inferred, alert, now);
  }

  /** A merged repeat widened an alert already in the incident: only the times can move. */
  async alertWidened(
    scope: TenantScope,
    incident: Incident,
    alert: Alert,
    now: number,
  ): Promise<Incident> {
    const rule: FactSource = { kind: 'rule', ruleId: alert.ruleId, alertId: alert.id };
    return this.#merge(
      scope,
      incident,
      [
        { value: { kind: 'activity', key: 'first', at: alert.firstSeen }, sources: [rule] },
        { value: { kind: 'activity', key: 'last', at: alert.lastSeen }, sources: [rule] },
      ],
      alert,
      now,
    );
  }

  async identification(
    principal: Principal,
    tenantId: string,
    incidentId: string,
  ): Promise<IncidentIdentification> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await loadIncident(scope, incidentId);
      return this.#view(incidentId, await scope.identification.list(incidentId));
    });
  }

  async correct(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    correction: IdentificationCorrection,
  ): Promise<IncidentIdentification> {
    authorize(principal, tenantId, 'incident:write');
    const actor = actorOf(principal);
    const reason = correction.reason?.trim() || null;
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const incident = await loadIncident(scope, incidentId);
      if (incident.phase === 'closed') throw new CordonError('conflict', 'the incident is closed');
      const now = this.#clock.now();
      const analyst: FactSource = { kind: 'analyst', actor, at: now, reason };
      let fact: IdentificationFact;
      if (correction.action === 'remove') {
        const existing = await scope.identification.get(
          incidentId,
          correction.kind,
          correction.key,
        );
        if (!existing || existing.state === 'removed')
          throw notFound(`${correction.kind} fact ${correction.key}`);
        fact = {
          ...existing,
          sources: [...existing.sources, analyst],
          state: 'removed',
          updatedAt: now,
          updatedBy: actor,
        };
      } else {
        const { value, sources } = await this.#correctedValue(scope, correction.fact);
        const existing = await scope.identification.get(incidentId, value.kind, value.key);
        if (correction.action === 'add' && existing && existing.state !== 'removed') {
          throw new CordonError(
            'conflict',
            `the ${value.kind} fact ${value.key} is already recorded`,
          );
        }
        fact = {
          tenantId,
          incidentId,
          kind: value.kind,
          key: value.key,
          value,
          sources: [...(existing?.sources ?? []), ...sources, analyst].slice(-MAX_FACT_SOURCES),
          state: 'corrected',
          updatedAt: now,
          updatedBy: actor,
        };
      }
      await scope.identification.put(fact);
      // A technique or tactic the analyst added or removed moves an inferred category too.
      if (fact.kind === 'technique' || fact.kind === 'tactic')
        await this.#inferCategory(scope, incidentId, undefined, now);
      const facts = await scope.identification.list(incidentId);
      const changes = identifiedChanges(incident, facts);
      if (changes) await scope.incidents.update(incidentId, { ...changes, updatedAt: now });
      await scope.journal.append({
        actor,
        kind: 'incident.identification_corrected',
        incidentId,
        payload: {
          action: correction.action,
          kind: fact.kind,
          key: fact.key,
          value: fact.state === 'removed' ? null : fact.value,
          reason,
          ...(changes ? { changes } : {}),
        },
      });
      return this.#view(incidentId, facts);
    });
  }

  async #correctedValue(
    scope: TenantScope,
    fact: CorrectedFact,
  ): Promise<{ value: IdentificationFactValue; sources: FactSource[] }> {
    switch (fact.kind) {
      case 'asset': {
        const name = fact.name.trim();
        if (!name) throw new CordonError('invalid_input', 'an asset needs a name');
        const inventory = await loadInventory(scope);
        const resolved =
          resolveHost(name, inventory) ??
          (() => {
            const [asset] = assetIndex(inventory.assets).byAddress(name);
            return asset ? { asset, matchedBy: 'address' as const } : undefined;
          })();
        if (!resolved) return { value: unresolvedAssetFact(name), sources: [] };
        return {
          value: assetFact(resolved.asset, inventory, name),
          sources: [
            {
              kind: 'inventory',
              assetId: resolved.asset.id,
              matchedBy: resolved.matchedBy,
              value: name,
            },
          ],
        };
      }
      case 'technique': {
        const technique = attackTechnique(fact.id);
        if (!technique)
          throw new CordonError(
            'invalid_input',
            `${fact.id} is no ATT&CK technique in the catalogue`,
          );
        return {
          value: {
            kind: 'technique',
            key: technique.id,
            id: technique.id,
            name: technique.name,
            tactics: technique.tactics,
          },
          sources: [{ kind: 'catalogue', version: attackCatalogueInfo().version }],
        };
      }
      case 'tactic': {
        const tactic = attackTactic(fact.shortname);
        if (!tactic)
          throw new CordonError('invalid_input', `${fact.shortname} is no ATT&CK tactic`);
        return {
          value: {
            kind: 'tactic',
            key: tactic.shortname,
            id: tactic.id,
            shortname: tactic.shortname,
            name: tactic.name,
          },
          sources: [{ kind: 'catalogue', version: attackCatalogueInfo().version }],
        };
      }
      case 'category':
        return {
          value: { kind: 'category', key: 'category', category: fact.category, basis: ['analyst'] },
          sources: [],
        };
      case 'origin': {
        const origin = await originFact(fact.address.trim(), await loadInventory(scope), this.#geo);
        if (!origin || origin.value.kind !== 'origin')
          throw new CordonError('invalid_input', `${fact.address} is not an IP address`);
        return {
          value: fact.class ? { ...origin.value, class: fact.class } : origin.value,
          sources: [...origin.sources],
        };
      }
      case 'activity':
        return { value: { kind: 'activity', key: fact.key, at: fact.at }, sources: [] };
    }
  }

  async #merge(
    scope: TenantScope,
    incident: Incident,
    inferred: readonly InferredFact[],
    alert: Alert,
    now: number,
  ): Promise<Incident> {
    const changed: { kind: string; key: string; change: 'added' | 'updated' }[] = [];
    for (const fact of inferred) {
      const existing = await scope.identification.get(incident.id, fact.value.kind, fact.value.key);
      const next = mergeInferred(existing, fact, {
        tenantId: scope.tenantId,
        incidentId: incident.id,
        now,
      });
      if (!next) continue;
      await scope.identification.put(next);
      changed.push({ kind: next.kind, key: next.key, change: existing ? 'updated' : 'added' });
    }
    const category = await this.#inferCategory(scope, incident.id, alert, now);
    if (category) changed.push(category);
    if (changed.length === 0) return incident;
    const facts = await scope.identification.list(incident.id);
    const changes = identifiedChanges(incident, facts);
    if (changes) await scope.incidents.update(incident.id, { ...changes, updatedAt: now });
    await scope.journal.append({
      actor: INFERENCE_ACTOR,
      kind: 'incident.identification_inferred',
      incidentId: incident.id,
      payload: {
        alertId: alert.id,
        ruleId: alert.ruleId,
        facts: changed,
        ...(changes ? { changes } : {}),
      },
    });
    return changes ? { ...incident, ...changes, updatedAt: now } : incident;
  }

  /** Re-derives the category from the techniques, tactics and rules now in force. */
  async #inferCategory(
    scope: TenantScope,
    incidentId: string,
    alert: Alert | undefined,
    now: number,
  ): Promise<{ kind: string; key: string; change: 'added' | 'updated' } | undefined> {
    const existing = await scope.identification.get(incidentId, 'category', 'category');
    if (existing && existing.state !== 'inferred') return undefined;
    const facts = (await scope.identification.list(incidentId)).filter(
      (f) => f.state !== 'removed',
    );
    const earlierRules =
      existing?.value.kind === 'category'
        ? existing.value.basis.filter((b) => b.startsWith('rule:')).map((b) => b.slice(5))
        : [];
    const derived = deriveAttackCategory({
      techniques: facts.flatMap((f) => (f.value.kind === 'technique' ? [f.value.id] : [])),
      tactics: facts.flatMap((f) => (f.value.kind === 'tactic' ? [f.value.shortname] : [])),
      ruleTexts: [...earlierRules, ...(alert ? [alert.ruleTitle, ...alert.tags] : [])],
    });
    if (!derived) return undefined;
    const value: IdentificationFactValue = {
      kind: 'category',
      key: 'category',
      category: derived.category,
      basis: derived.basis,
    };
    if (existing && canonicalJson(existing.value) === canonicalJson(value)) return undefined;
    const sources = unionSources(existing?.sources ?? [], [
      { kind: 'mapping', basis: derived.basis.join(', ').slice(0, 500) },
      ...(alert ? [{ kind: 'rule' as const, ruleId: alert.ruleId, alertId: alert.id }] : []),
    ]);
    await scope.identification.put({
      tenantId: scope.tenantId,
      incidentId,
      kind: 'category',
      key: 'category',
      value,
      sources,
      state: 'inferred',
      updatedAt: now,
      updatedBy: INFERENCE_ACTOR,
    });
    return { kind: 'category', key: 'category', change: existing ? 'updated' : 'added' };
  }

  #view(incidentId: string, facts: readonly IdentificationFact[]): IncidentIdentification {
    return {
      incidentId,
      facts,
      catalogue: attackCatalogueInfo(),
      geoDatabase: this.#geo?.database ?? null,
    };
  }
}

/** The stored fact after inference, or undefined when nothing changes (or an analyst owns it). */
export function mergeInferred(
  existing: IdentificationFact | undefined,
  inferred: InferredFact,
  at: { readonly tenantId: string; readonly incidentId: string; readonly now: number },
): IdentificationFact | undefined {
  if (existing && existing.state !== 'inferred') return undefined;
  let value = inferred.value;
  const before = existing?.value;
  if (before?.kind === 'activity' && value.kind === 'activity') {
    value = {
      ...value,
      at: value.key === 'first' ? Math.min(before.at, value.at) : Math.max(before.at, value.at),
    };
  } else if (before?.kind === 'asset' && value.kind === 'asset') {
    value = { ...value, seenAs: [...new Set([...before.seenAs, ...value.seenAs])].slice(0, 50) };
  }
  const sources = unionSources(existing?.sources ?? [], inferred.sources);
  if (
    existing &&
    canonicalJson(existing.value) === canonicalJson(value) &&
    existing.sources.length === sources.length
  ) {
    return undefined;
  }
  return {
    tenantId: at.tenantId,
    incidentId: at.incidentId,
    kind: value.kind,
    key: value.key,
    value,
    sources,
    state: 'inferred',
    updatedAt: at.now,
    updatedBy: INFERENCE_ACTOR,
  };
}

function unionSources(a: readonly FactSource[], b: readonly FactSource[]): FactSource[] {
  const seen = new Set(a.map((s) => canonicalJson(s)));
  const out = [...a];
  for (const s of b) {
    if (out.length >= MAX_FACT_SOURCES) break;
    const key = canonicalJson(s);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(s);
    }
  }
  return out;
}

async function loadIncident(scope: TenantScope, incidentId: string): Promise<Incident> {
  const incident = await scope.incidents.get(incidentId);
  if (!incident) throw notFound('incident');
  return incident;
}

async function loadInventory(scope: TenantScope): Promise<Inventory> {
  const p = scope.preparation;
  return {
    assets: await p.assets.list(),
    segments: await p.segments.list(),
    relations: await p.relations.list(),
    functions: await p.functions.list(),
    agents: await scope.containment.agents.list(),
  };
}
