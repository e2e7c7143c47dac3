/**
 * Identification of an incident: the facts gathered from its alerts, the inventory, the
 * ATT&CK catalogue and the offline IP database, each with its sources, and the analyst's
 * corrections (journalled; a corrected fact wins over later inference).
 */
import type {
  AttackCategory,
  FactKind,
  FactSource,
  IdentificationCorrection,
  IdentificationFact,
  IncidentIdentification,
  OriginClass,
} from '@cordon/core';
import { CordonError } from '@cordon/core';
import type { Static } from '@sinclair/typebox';
import type {
  AttackCategoryName,
  FactKind as FactKindName,
  OriginClass as OriginClassName,
} from '@cordon/protocol';
import {
  IdentificationCorrectionRequest,
  IdentificationView,
  Uuid,
  closed,
} from '@cordon/protocol';
import { principalOf } from '../http/authentication.ts';
import { iso, msOf } from '../http/views.ts';
import type { App, Services } from './route-context.ts';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/**
 * The protocol (which imports nothing) spells the vocabularies out again; the compiler checks
 * here that they are core's: a category, fact kind or origin class added on one side only
 * does not build.
 */
export const IDENTIFICATION_VOCABULARIES_AGREE: [
  Same<Static<typeof AttackCategoryName>, AttackCategory>,
  Same<Static<typeof FactKindName>, FactKind>,
  Same<Static<typeof OriginClassName>, OriginClass>,
] = [true, true, true];

const IncidentParams = closed({ tenantId: Uuid, incidentId: Uuid });
const tags = ['incidents'];

function sourceView(source: FactSource): Record<string, unknown> {
  return source.kind === 'analyst' ? { ...source, at: iso(source.at) } : { ...source };
}

function factView(fact: IdentificationFact): Record<string, unknown> {
  const { kind: _kind, key: _key, ...value } = fact.value;
  return {
    ...value,
    ...(fact.value.kind === 'activity' ? { at: iso(fact.value.at) } : {}),
    key: fact.key,
    state: fact.state,
    sources: fact.sources.map(sourceView),
    updatedAt: iso(fact.updatedAt),
    updatedBy: fact.updatedBy,
  };
}

function label(fact: IdentificationFact): string {
  const v = fact.value;
  switch (v.kind) {
    case 'asset':
      return v.name;
    case 'technique':
      return v.name ? `${v.id} ${v.name}` : v.id;
    case 'tactic':
      return `${v.id} ${v.name}`;
    case 'category':
      return v.category;
    case 'origin':
      return v.address;
    case 'activity':
      return `${v.key} activity ${iso(v.at)}`;
  }
}

export function identificationView(
  view: IncidentIdentification,
): Static<typeof IdentificationView> {
  const present = view.facts.filter((f) => f.state !== 'removed');
  const of = (kind: IdentificationFact['kind']) =>
    present.filter((f) => f.kind === kind).map(factView);
  const one = (kind: IdentificationFact['kind'], key: string) => {
    const fact = present.find((f) => f.kind === kind && f.key === key);
    return fact ? factView(fact) : null;
  };
  return {
    incidentId: view.incidentId,
    category: one('category', 'category'),
    assets: of('asset'),
    techniques: of('technique'),
    tactics: of('tactic'),
    origins: of('origin'),
    firstActivity: one('activity', 'first'),
    lastActivity: one('activity', 'last'),
    removed: view.facts
      .filter((f) => f.state === 'removed')
      .map((f) => ({
        kind: f.kind,
        key: f.key,
        state: f.state,
        sources: f.sources.map(sourceView),
        updatedAt: iso(f.updatedAt),
        updatedBy: f.updatedBy,
        label: label(f),
      })),
    catalogue: view.catalogue,
    geoDatabase: view.geoDatabase,
  } as Static<typeof IdentificationView>;
}

const need = <T>(value: T | undefined, field: string, kind: string): T => {
  if (value === undefined)
    throw new CordonError('invalid_input', `a ${kind} correction needs ${field}`);
  return value;
};

/** The flat request body as the core's correction union. */
export function correctionOf(
  body: Static<typeof IdentificationCorrectionRequest>,
): IdentificationCorrection {
  const reason = body.reason === undefined ? {} : { reason: body.reason };
  if (body.action === 'remove') {
    return { action: 'remove', kind: body.kind, key: need(body.key, 'key', 'remove'), ...reason };
  }
  const action = body.action;
  switch (body.kind) {
    case 'asset':
      return { action, fact: { kind: 'asset', name: need(body.name, 'name', 'asset') }, ...reason };
    case 'technique':
      return {
        action,
        fact: { kind: 'technique', id: need(body.id, 'id', 'technique') },
        ...reason,
      };
    case 'tactic':
      return {
        action,
        fact: { kind: 'tactic', shortname: need(body.shortname, 'shortname', 'tactic') },
        ...reason,
      };
    case 'category':
      return {
        action,
        fact: { kind: 'category', category: need(body.category, 'category', 'category') },
        ...reason,
      };
    case 'origin':
      return {
        action,
        fact: {
          kind: 'origin',
          address: need(body.address, 'address', 'origin'),
          ...(body.class ? { class: body.class } : {}),
        },
        ...reason,
      };
    case 'activity': {
      const key = need(body.key, 'key (first or last)', 'activity');
      if (key !== 'first' && key !== 'last')
        throw new CordonError('invalid_input', 'an activity key is first or last');
      const at = msOf(need(body.at, 'at', 'activity'));
      if (!Number.isFinite(at)) throw new CordonError('invalid_input', 'at is not a time');
      return { action, fact: { kind: 'activity', key, at }, ...reason };
    }
  }
}

export function identificationRoutes(app: App, { identification }: Services): void {
  const base = '/api/v1/tenants/:tenantId/incidents/:incidentId/identification';

  app.get(
    base,
    { schema: { tags, params: IncidentParams, response: { 200: IdentificationView } } },
    async (request) =>
      identificationView(
        await identification.identification(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
        ),
      ),
  );

  app.post(
    `${base}/corrections`,
    {
      schema: {
        tags,
        params: IncidentParams,
        body: IdentificationCorrectionRequest,
        response: { 200: IdentificationView },
      },
    },
    async (request) =>
      identificationView(
        await identification.correct(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
          correctionOf(request.body),
        ),
      ),
  );
}
