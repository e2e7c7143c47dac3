/**
 * The ways a server on an incident can be contained, from cutting it off to leaving it running
 * under watch. One closed vocabulary for the options endpoint, the decisions recorded, the
 * containment policy's option rules and the per-tenant expected durations.
 */
export const CONTAINMENT_OPTION_KINDS = [
  'isolate',
  'isolate-with-allow',
  'block-origins',
  'failover-then-isolate',
  'disable-accounts',
  'watch',
] as const;
export type ContainmentOptionKind = (typeof CONTAINMENT_OPTION_KINDS)[number];

export const isContainmentOptionKind = (value: string): value is ContainmentOptionKind =>
  (CONTAINMENT_OPTION_KINDS as readonly string[]).includes(value);

/**
 * How long, in minutes, what an option stops is expected to stay stopped — the figure the
 * downtime cost multiplies by. Isolations last while the host is investigated and cleaned
 * (four hours is a typical first estimate for a server); a failover interrupts the functions
 * only for the switch-over (fifteen minutes); watching stops nothing. A tenant sets its own
 * figures in its containment policy (`optionDurations`); these are the defaults.
 */
export const DEFAULT_OPTION_DURATIONS: Readonly<Record<ContainmentOptionKind, number>> =
  Object.freeze({
    isolate: 240,
    'isolate-with-allow': 240,
    'block-origins': 240,
    'failover-then-isolate': 15,
    'disable-accounts': 240,
    watch: 0,
  });

/** At most one week: a longer "expected duration" is not a containment estimate. */
export const MAX_OPTION_DURATION_MINUTES = 7 * 24 * 60;

export type OptionDurations = Readonly<Partial<Record<ContainmentOptionKind, number>>>;

export function optionDurations(
  overrides: OptionDurations,
): Readonly<Record<ContainmentOptionKind, number>> {
  return { ...DEFAULT_OPTION_DURATIONS, ...overrides };
}
