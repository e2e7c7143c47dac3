/**
 * Alert use cases for people: list and read alerts, acknowledge and close them, and manage the
 * tenant's detection settings — suppressions, exclusions and its own Sigma rules. Every change
 * is journalled in its transaction. Rule texts are checked by a `RuleValidator` the server
 * provides (it knows the Sigma engine and the server's rule set), so a bad rule is refused
 * with its reasons and nothing is stored. The check runs before the transaction opens: a rule
 * text is hostile input whose check may take its whole time budget, and the database must not
 * be held meanwhile.
 */
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize } from '../access/principal.ts';
import { CordonError, invalidInput, notFound } from '../errors/cordon-error.ts';
import type { Clock } from '../ports/clock.ts';
import type { AlertFilter } from '../ports/detection-repositories.ts';
import { newId } from '../ports/id-generator.ts';
import type { Page, Store, TenantScope, BoundedPage } from '../ports/store.ts';
import type { Alert } from '../detection/alert.ts';
import type {
  AlertSuppression,
  DetectionExclusion,
  TenantRule,
} from '../detection/detection-filters.ts';
import type { FieldFilter } from '../detection/field-filter.ts';
import { validateFieldFilter } from '../detection/field-filter.ts';

/**
 * Checks a Sigma text; rejects with a CordonError `invalid_input` listing every problem. It
 * should do its work off the thread that serves requests, within a time and memory budget.
 */
export type RuleValidator = (
  tenantId: string,
  yaml: string,
) => Promise<{ readonly title: string; readonly ruleIds: readonly string[] }>;

export interface NewSuppression extends FieldFilter {
  readonly reason: string;
  readonly expiresAt: number | null;
}

export interface NewExclusion extends FieldFilter {
  readonly reason: string;
}

export const MAX_TENANT_RULE_BYTES = 256 * 1024;

/**
 * Told inside the transaction that closes an alert (the behavioural detectors allow-list the
 * key of an alert closed as a false positive), so the verdict and its effect commit together.
 */
export type AlertClosedHook = (
  scope: TenantScope,
  closed: { readonly alert: Alert; readonly reason: string; readonly actor: string },
  now: number,
) => Promise<void>;

export class AlertService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #validate: RuleValidator;
  readonly #onClosed: AlertClosedHook | undefined;

  constructor(options: {
    store: Store;
    clock: Clock;
    validateRules: RuleValidator;
    onClosed?: AlertClosedHook;
  }) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#validate = options.validateRules;
    this.#onClosed = options.onClosed;
  }

  async list(
    principal: Principal,
    tenantId: string,
    filter: AlertFilter,
    page: Page,
  ): Promise<BoundedPage<Alert>> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#read(tenantId, (scope) => scope.detection.alerts.list(filter, page));
  }

  async get(principal: Principal, tenantId: string, alertId: string): Promise<Alert> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#read(tenantId, (scope) => loadAlert(scope, alertId));
  }

  async acknowledge(principal: Principal, tenantId: string, alertId: string): Promise<Alert> {
    authorize(principal, tenantId, 'incident:write');
    return this.#write(tenantId, async (scope, now) => {
      const alert = await loadAlert(scope, alertId);
      if (alert.status === 'acknowledged') return alert;
      if (alert.status !== 'open')
        throw new CordonError('conflict', `the alert is ${alert.status}, not open`);
      await scope.detection.alerts.update(alertId, { status: 'acknowledged', updatedAt: now });
      await this.#journal(scope, principal, 'alert.acknowledged', alert, {});
      return { ...alert, status: 'acknowledged', updatedAt: now };
    });
  }

  async close(
    principal: Principal,
    tenantId: string,
    alertId: string,
    reason: string,
  ): Promise<Alert> {
    authorize(principal, tenantId, 'incident:write');
    if (reason.trim() === '') throw invalidInput('closing an alert needs a reason');
    return this.#write(tenantId, async (scope, now) => {
      const alert = await loadAlert(scope, alertId);
      if (alert.status === 'closed') throw new CordonError('conflict', 'the alert is closed');
      const changes = { status: 'closed' as const, closedReason: reason, updatedAt: now };
      await scope.detection.alerts.update(alertId, changes);
      await this.#journal(scope, principal, 'alert.closed', alert, { reason });
      await this.#onClosed?.(scope, { alert, reason, actor: actorOf(principal) }, now);
      return { ...alert, ...changes };
    });
  }

  async suppressions(principal: Principal, tenantId: string): Promise<AlertSuppression[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#read(tenantId, (scope) => scope.detection.suppressions.list());
  }

  async addSuppression(
    principal: Principal,
    tenantId: string,
    input: NewSuppression,
  ): Promise<AlertSuppression> {
    authorize(principal, tenantId, 'incident:write');
    validateFieldFilter(input);
    if (input.reason.trim() === '') throw invalidInput('a suppression needs a reason');
    return this.#write(tenantId, async (scope, now) => {
      if (input.expiresAt !== null && input.expiresAt <= now)
        throw invalidInput('expiresAt is in the past');
      const suppression: AlertSuppression = {
        id: newId(),
        tenantId,
        ruleId: input.ruleId,
        fields: input.fields,
        reason: input.reason,
        expiresAt: input.expiresAt,
        createdBy: actorOf(principal),
        createdAt: now,
        hits: 0,
      };
      await scope.detection.suppressions.insert(suppression);
      await scope.journal.append({
        actor: suppression.createdBy,
        kind: 'detection.suppression_added',
        payload: { ...suppression },
      });
      return suppression;
    });
  }

  async removeSuppression(principal: Principal, tenantId: string, id: string): Promise<void> {
    authorize(principal, tenantId, 'incident:write');
    await this.#write(tenantId, async (scope) => {
      const suppression = await scope.detection.suppressions.get(id);
      if (!suppression) throw notFound('suppression');
      await scope.detection.suppressions.delete(id);
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'detection.suppression_removed',
        payload: { suppressionId: id, ruleId: suppression.ruleId, reason: suppression.reason },
      });
    });
  }

  async exclusions(principal: Principal, tenantId: string): Promise<DetectionExclusion[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#read(tenantId, (scope) => scope.detection.exclusions.list());
  }

  async addExclusion(
    principal: Principal,
    tenantId: string,
    input: NewExclusion,
  ): Promise<DetectionExclusion> {
    authorize(principal, tenantId, 'incident:write');
    validateFieldFilter(input);
    if (input.reason.trim() === '') throw invalidInput('an exclusion needs a reason');
    return this.#write(tenantId, async (scope, now) => {
      const exclusion: DetectionExclusion = {
        id: newId(),
        tenantId,
        ruleId: input.ruleId,
        fields: input.fields,
        reason: input.reason,
        createdBy: actorOf(principal),
        createdAt: now,
      };
      await scope.detection.exclusions.insert(exclusion);
      await scope.journal.append({
        actor: exclusion.createdBy,
        kind: 'detection.exclusion_added',
        payload: { ...exclusion },
      });
      return exclusion;
    });
  }

  async removeExclusion(principal: Principal, tenantId: string, id: string): Promise<void> {
    authorize(principal, tenantId, 'incident:write');
    await this.#write(tenantId, async (scope) => {
      const exclusion = await scope.detection.exclusions.get(id);
      if (!exclusion) throw notFound('exclusion');
      await scope.detection.exclusions.delete(id);
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'detection.exclusion_removed',
        payload: { exclusionId: id, ruleId: exclusion.ruleId, reason: exclusion.reason },
      });
    });
  }

  async rules(principal: Principal, tenantId: string): Promise<TenantRule[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#read(tenantId, (scope) => scope.detection.rules.list());
  }

  async rule(principal: Principal, tenantId: string, id: string): Promise<TenantRule> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#read(tenantId, async (scope) => {
      const rule = await scope.detection.rules.get(id);
      if (!rule) throw notFound('rule');
      return rule;
    });
  }

  async addRule(principal: Principal, tenantId: string, yaml: string): Promise<TenantRule> {
    authorize(principal, tenantId, 'incident:write');
    if (new TextEncoder().encode(yaml).length > MAX_TENANT_RULE_BYTES)
      throw invalidInput(`a rule text is at most ${MAX_TENANT_RULE_BYTES} bytes`);
    const { title, ruleIds } = await this.#validate(tenantId, yaml);
    return this.#write(tenantId, async (scope, now) => {
      const taken = new Set((await scope.detection.rules.list()).flatMap((r) => r.ruleIds));
      const clash = ruleIds.filter((id) => taken.has(id));
      if (clash.length > 0)
        throw new CordonError('conflict', `the tenant already has rule(s) ${clash.join(', ')}`);
      const rule: TenantRule = {
        id: newId(),
        tenantId,
        title,
        yaml,
        ruleIds,
        enabled: true,
        createdBy: actorOf(principal),
        createdAt: now,
        updatedAt: now,
      };
      await scope.detection.rules.insert(rule);
      await scope.journal.append({
        actor: rule.createdBy,
        kind: 'detection.rule_added',
        payload: { id: rule.id, title, ruleIds, yaml },
      });
      return rule;
    });
  }

  async setRuleEnabled(
    principal: Principal,
    tenantId: string,
    id: string,
    enabled: boolean,
  ): Promise<TenantRule> {
    authorize(principal, tenantId, 'incident:write');
    return this.#write(tenantId, async (scope, now) => {
      const rule = await scope.detection.rules.get(id);
      if (!rule) throw notFound('rule');
      if (rule.enabled === enabled) return rule;
      await scope.detection.rules.update(id, { enabled, updatedAt: now });
      await scope.journal.append({
        actor: actorOf(principal),
        kind: enabled ? 'detection.rule_enabled' : 'detection.rule_disabled',
        payload: { id, ruleIds: rule.ruleIds },
      });
      return { ...rule, enabled, updatedAt: now };
    });
  }

  async removeRule(principal: Principal, tenantId: string, id: string): Promise<void> {
    authorize(principal, tenantId, 'incident:write');
    await this.#write(tenantId, async (scope) => {
      const rule = await scope.detection.rules.get(id);
      if (!rule) throw notFound('rule');
      await scope.detection.rules.delete(id);
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'detection.rule_removed',
        payload: { id, ruleIds: rule.ruleIds },
      });
    });
  }

  async #read<T>(tenantId: string, work: (scope: TenantScope) => Promise<T>): Promise<T> {
    return this.#store.transaction(async (uow) => work(uow.forTenant(tenantId)));
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

  async #journal(
    scope: TenantScope,
    principal: Principal,
    kind: string,
    alert: Alert,
    extra: Record<string, unknown>,
  ): Promise<void> {
    await scope.journal.append({
      actor: actorOf(principal),
      kind,
      ...(alert.incidentId ? { incidentId: alert.incidentId } : {}),
      payload: { alertId: alert.id, ruleId: alert.ruleId, ...extra },
    });
  }
}

async function loadAlert(scope: TenantScope, alertId: string): Promise<Alert> {
  const alert = await scope.detection.alerts.get(alertId);
  if (!alert) throw notFound('alert');
  return alert;
}
