/**
 * A tenant's settings of the behavioural detectors, for people: each detector's thresholds in
 * effect (the documented defaults with the tenant's overrides), whether it runs, and its
 * allow-list (keys it no longer alerts on). Reading needs `tenant:read`; changing needs
 * `incident:write` (analysts and above, not client viewers). Every change is journalled in its
 * transaction. The detectors themselves live in the server: it hands this service their
 * catalogue (names, defaults, documentation, the highest value each threshold may take), so an
 * override is checked against what the detector reads — an unknown name, a value that is not a
 * positive finite number or one above its maximum is refused and nothing is stored. Thresholds
 * that size a detector's memory (its caps) have maxima, so a tenant cannot lift the bound.
 */
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize } from '../access/principal.ts';
import { CordonError, invalidInput, notFound } from '../errors/cordon-error.ts';
import type { Clock } from '../ports/clock.ts';
import type { DetectorAllowEntry, DetectorSettingsRecord } from '../ports/detector-repositories.ts';
import type { Store, TenantScope } from '../ports/store.ts';

/** What the service knows of one detector kind. */
export interface DetectorCatalogueEntry {
  readonly name: string;
  readonly description: string;
  readonly defaults: Readonly<Record<string, number>>;
  readonly documentation: Readonly<Record<string, string>>;
  /** The highest value each threshold may be set to. */
  readonly maxima: Readonly<Record<string, number>>;
}

/** One detector as a tenant has it. */
export interface DetectorSettings {
  readonly detector: string;
  readonly description: string;
  readonly enabled: boolean;
  /** In effect: the defaults with the overrides on top. */
  readonly thresholds: Readonly<Record<string, number>>;
  readonly overrides: Readonly<Record<string, number>>;
  readonly defaults: Readonly<Record<string, number>>;
  readonly maxima: Readonly<Record<string, number>>;
  readonly documentation: Readonly<Record<string, string>>;
  readonly allowListed: number;
  readonly updatedBy: string | null;
  readonly updatedAt: number | null;
}

export interface DetectorSettingsChange {
  readonly enabled: boolean;
  /** Overrides, replacing the previous ones; a threshold left out takes its default. */
  readonly thresholds: Readonly<Record<string, number>>;
}

export interface NewAllowEntry {
  readonly key: string;
  readonly reason: string;
}

/** Keys an analyst may put on one detector's allow-list of one tenant through the API. */
export const MAX_DETECTOR_ALLOW_ENTRIES = 5_000;

export class DetectorSettingsService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #catalogue: readonly DetectorCatalogueEntry[];
  readonly #onChange: (tenantId: string) => void;

  constructor(options: {
    readonly store: Store;
    readonly clock: Clock;
    readonly catalogue: readonly DetectorCatalogueEntry[];
    /** Told after a change committed (live detection re-reads the tenant's settings). */
    readonly onChange?: (tenantId: string) => void;
  }) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#catalogue = options.catalogue;
    this.#onChange = options.onChange ?? (() => undefined);
  }

  async list(principal: Principal, tenantId: string): Promise<DetectorSettings[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#read(tenantId, async (scope) => {
      const settings = await scope.detectors.settings();
      const allowed = await scope.detectors.allowList();
      return this.#catalogue.map((kind) =>
        settingsOf(
          kind,
          settings.find((s) => s.detector === kind.name),
          allowed.filter((a) => a.detector === kind.name).length,
        ),
      );
    });
  }

  async get(principal: Principal, tenantId: string, detector: string): Promise<DetectorSettings> {
    const all = await this.list(principal, tenantId);
    const found = all.find((d) => d.detector === detector);
    if (!found) throw notFound('detector');
    return found;
  }

  async update(
    principal: Principal,
    tenantId: string,
    detector: string,
    change: DetectorSettingsChange,
  ): Promise<DetectorSettings> {
    authorize(principal, tenantId, 'incident:write');
    const kind = this.#kind(detector);
    const thresholds = checkedOverrides(kind, change.thresholds);
    const updated = await this.#write(tenantId, async (scope, now) => {
      const before = (await scope.detectors.settings()).find((s) => s.detector === detector);
      const record: DetectorSettingsRecord = {
        detector,
        enabled: change.enabled,
        thresholds,
        updatedBy: actorOf(principal),
        updatedAt: now,
      };
      await scope.detectors.saveSettings(record);
      await scope.journal.append({
        actor: record.updatedBy,
        kind: 'detector.settings_updated',
        payload: {
          detector,
          enabled: record.enabled,
          thresholds,
          previous: before
            ? { enabled: before.enabled, thresholds: before.thresholds }
            : { enabled: true, thresholds: {} },
        },
      });
      const allowed = (await scope.detectors.allowList()).filter((a) => a.detector === detector);
      return settingsOf(kind, record, allowed.length);
    });
    this.#onChange(tenantId);
    return updated;
  }

  async allowList(
    principal: Principal,
    tenantId: string,
    detector: string,
  ): Promise<DetectorAllowEntry[]> {
    authorize(principal, tenantId, 'tenant:read');
    this.#kind(detector);
    return this.#read(tenantId, async (scope) =>
      (await scope.detectors.allowList()).filter((a) => a.detector === detector),
    );
  }

  async allow(
    principal: Principal,
    tenantId: string,
    detector: string,
    input: NewAllowEntry,
  ): Promise<DetectorAllowEntry> {
    authorize(principal, tenantId, 'incident:write');
    this.#kind(detector);
    if (input.key.trim() === '') throw invalidInput('an allow-list entry needs a key');
    if (input.reason.trim() === '') throw invalidInput('an allow-list entry needs a reason');
    const entry = await this.#write(tenantId, async (scope, now) => {
      const held = (await scope.detectors.allowList()).filter((a) => a.detector === detector);
      if (held.length >= MAX_DETECTOR_ALLOW_ENTRIES)
        throw invalidInput(
          `the ${detector} allow-list holds ${MAX_DETECTOR_ALLOW_ENTRIES} keys already; remove some first`,
        );
      const entry: DetectorAllowEntry = {
        detector,
        key: input.key,
        reason: input.reason,
        alertId: null,
        createdBy: actorOf(principal),
        createdAt: now,
      };
      if (!(await scope.detectors.allow(entry)))
        throw new CordonError('conflict', `${detector} already allow-lists this key`);
      await scope.journal.append({
        actor: entry.createdBy,
        kind: 'detector.allow_listed',
        payload: { ...entry },
      });
      return entry;
    });
    this.#onChange(tenantId);
    return entry;
  }

  async removeAllowed(
    principal: Principal,
    tenantId: string,
    detector: string,
    key: string,
  ): Promise<void> {
    authorize(principal, tenantId, 'incident:write');
    this.#kind(detector);
    await this.#write(tenantId, async (scope) => {
      if (!(await scope.detectors.removeAllowed(detector, key))) throw notFound('allow-list entry');
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'detector.allow_list_removed',
        payload: { detector, key },
      });
    });
    this.#onChange(tenantId);
  }

  #kind(detector: string): DetectorCatalogueEntry {
    const kind = this.#catalogue.find((k) => k.name === detector);
    if (!kind) throw notFound('detector');
    return kind;
  }

  async #read<T>(tenantId: string, work: (scope: TenantScope) => Promise<T>): Promise<T> {
    return this.#store.transaction(async (uow) => {
      if (!(await uow.tenants.get(tenantId))) throw notFound('tenant');
      return work(uow.forTenant(tenantId));
    });
  }

  async #write<T>(
    tenantId: string,
    work: (scope: TenantScope, now: number) => Promise<T>,
  ): Promise<T> {
    return this.#store.transaction(async (uow) => {
      if (!(await uow.tenants.get(tenantId))) throw notFound('tenant');
      return work(uow.forTenant(tenantId), this.#clock.now());
    });
  }
}

/** The overrides as given, every one checked; all problems are reported at once. */
function checkedOverrides(
  kind: DetectorCatalogueEntry,
  overrides: Readonly<Record<string, number>>,
): Record<string, number> {
  const problems: string[] = [];
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(overrides)) {
    if (!Object.hasOwn(kind.defaults, name)) {
      problems.push(`${kind.name} has no threshold ${JSON.stringify(name)}`);
      continue;
    }
    const max = kind.maxima[name] ?? Number.MAX_SAFE_INTEGER;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
      problems.push(`${name} must be a positive number`);
    else if (value > max) problems.push(`${name} may be at most ${max}`);
    else out[name] = value;
  }
  if (problems.length > 0)
    throw invalidInput(`invalid ${kind.name} thresholds: ${problems.join('; ')}`, { problems });
  return out;
}

function settingsOf(
  kind: DetectorCatalogueEntry,
  record: DetectorSettingsRecord | undefined,
  allowListed: number,
): DetectorSettings {
  const overrides: Record<string, number> = {};
  for (const [name, value] of Object.entries(record?.thresholds ?? {}))
    if (Object.hasOwn(kind.defaults, name) && Number.isFinite(value) && value > 0)
      overrides[name] = value;
  return {
    detector: kind.name,
    description: kind.description,
    enabled: record?.enabled ?? true,
    thresholds: { ...kind.defaults, ...overrides },
    overrides,
    defaults: kind.defaults,
    maxima: kind.maxima,
    documentation: kind.documentation,
    allowListed,
    updatedBy: record?.updatedBy ?? null,
    updatedAt: record?.updatedAt ?? null,
  };
}
