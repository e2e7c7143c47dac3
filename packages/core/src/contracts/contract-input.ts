/**
 * The written form of a tenant contract (what the API and CLI accept) and its one parser: every
 * part is checked and bounded here, so the services and the clocks only see valid terms.
 */
import { invalidInput } from '../errors/cordon-error.ts';
import type { BusinessCalendarInput } from './business-calendar.ts';
import { parseBusinessCalendar } from './business-calendar.ts';
import { catalogueRegime } from './regulatory-catalogue.ts';
import type { RegulatoryRegime } from './regulatory-regime.ts';
import { checkRegime } from './regulatory-regime.ts';
import { DEFAULT_NEAR_SHARE } from './regulatory-deadlines.ts';
import { parseSlaTerms } from './sla-terms.ts';
import type { ReportingProfile, TenantContract } from './tenant-contract.ts';

export interface TenantContractInput {
  readonly calendar: BusinessCalendarInput;
  readonly sla?: Parameters<typeof parseSlaTerms>[0] | null;
  readonly regimes?: readonly string[];
  readonly customRegimes?: readonly RegulatoryRegime[];
  readonly deadlineNearShare?: number;
  readonly reporting?: Partial<ReportingProfile>;
}

const MAX_CUSTOM_REGIMES = 50;
const MAX_PROFILE_TEXT = 300;
const PROFILE_FIELDS = [
  'organisation',
  'sector',
  'location',
  'contactName',
  'contactEmail',
  'contactPhone',
] as const;

export function parseTenantContract(
  input: TenantContractInput,
  meta: { tenantId: string; version: number; updatedBy: string; updatedAt: number },
): TenantContract {
  const customRegimes = input.customRegimes ?? [];
  if (customRegimes.length > MAX_CUSTOM_REGIMES)
    throw invalidInput(`at most ${MAX_CUSTOM_REGIMES} custom regimes`);
  const ids = new Set<string>();
  for (const regime of customRegimes) {
    checkRegime(regime);
    if (ids.has(regime.id)) throw invalidInput(`custom regime ${regime.id} is given twice`);
    ids.add(regime.id);
  }
  const regimes = [...new Set(input.regimes ?? [])];
  for (const id of regimes)
    if (!ids.has(id) && !catalogueRegime(id))
      throw invalidInput(`unknown regime ${JSON.stringify(id)} (not in the catalogue nor custom)`);
  const deadlineNearShare = input.deadlineNearShare ?? DEFAULT_NEAR_SHARE;
  if (!(deadlineNearShare > 0 && deadlineNearShare < 1))
    throw invalidInput('deadlineNearShare is a share of the window, above 0 and below 1');
  return {
    ...meta,
    calendar: parseBusinessCalendar(input.calendar),
    sla: input.sla ? parseSlaTerms(input.sla) : null,
    regimes,
    customRegimes,
    deadlineNearShare,
    reporting: parseProfile(input.reporting ?? {}),
  };
}

function parseProfile(input: Partial<ReportingProfile>): ReportingProfile {
  const profile: Record<string, string | null> = {};
  for (const field of PROFILE_FIELDS) {
    const value = input[field] ?? null;
    if (value !== null && (typeof value !== 'string' || value.length > MAX_PROFILE_TEXT))
      throw invalidInput(`reporting.${field}: text of at most ${MAX_PROFILE_TEXT} characters`);
    profile[field] = value;
  }
  return profile as unknown as ReportingProfile;
}
