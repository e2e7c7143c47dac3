/**
 * Which rule packs run for a tenant: every installed pack does unless the tenant turned it
 * off. Turning one off or on again is journaled with its reason; the live matcher reads the
 * settings with the tenant's other detection settings.
 */
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize } from '../access/principal.ts';
import type { RulePackSetting } from '../detection/rule-pack-setting.ts';
import { RULE_PACK_NAME } from '../detection/rule-pack-setting.ts';
import { invalidInput, notFound } from '../errors/cordon-error.ts';
import type { Clock } from '../ports/clock.ts';
import type { Store } from '../ports/store.ts';

export interface RulePackChange {
  readonly pack: string;
  readonly enabled: boolean;
  readonly reason: string;
}

export class RulePackService {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(options: { readonly store: Store; readonly clock: Clock }) {
    this.#store = options.store;
    this.#clock = options.clock;
  }

  async settings(principal: Principal, tenantId: string): Promise<RulePackSetting[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      if (!(await uow.tenants.get(tenantId))) throw notFound('tenant');
      return uow.forTenant(tenantId).detection.rulePacks.list();
    });
  }

  /** `known`: the packs installed on this server; a change to another pack is refused. */
  async change(
    principal: Principal,
    tenantId: string,
    change: RulePackChange,
    known: readonly string[],
  ): Promise<RulePackSetting> {
    authorize(principal, tenantId, 'incident:write');
    if (!RULE_PACK_NAME.test(change.pack) || !known.includes(change.pack)) {
      throw invalidInput(`no rule pack named ${change.pack.slice(0, 40)}: ${known.join(', ')}`);
    }
    if (change.reason.trim() === '') throw invalidInput('a rule pack change needs a reason');
    return this.#store.transaction(async (uow) => {
      if (!(await uow.tenants.get(tenantId))) throw notFound('tenant');
      const scope = uow.forTenant(tenantId);
      const setting: RulePackSetting = {
        tenantId,
        pack: change.pack,
        enabled: change.enabled,
        reason: change.reason.trim().slice(0, 500),
        changedBy: actorOf(principal),
        changedAt: this.#clock.now(),
      };
      await scope.detection.rulePacks.put(setting);
      await scope.journal.append({
        actor: setting.changedBy,
        kind: change.enabled ? 'detection.rule_pack_enabled' : 'detection.rule_pack_disabled',
        payload: { pack: setting.pack, reason: setting.reason },
      });
      return setting;
    });
  }
}
