/**
 * A sender's offset from UTC: a fixed number of minutes east, or an IANA time zone
 * (`Europe/Berlin`) whose offset depends on the date (daylight saving time). Zones resolve
 * through `Intl`, cached per zone and per hour, so a busy listener pays for `Intl` about once
 * an hour.
 */

/** Minutes east of UTC, or the offset in effect at a given instant (epoch ms). */
export type UtcOffset = number | ((epochMs: number) => number);

const HOUR_MS = 3_600_000;
const resolvers = new Map<string, (epochMs: number) => number>();

/** Whether `Intl` knows this IANA zone name (for validating configuration). */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The offset function of an IANA zone; undefined for a name `Intl` does not know. */
export function timeZoneOffset(zone: string): ((epochMs: number) => number) | undefined {
  const cached = resolvers.get(zone);
  if (cached !== undefined) return cached;
  if (!isValidTimeZone(zone)) return undefined;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const byHour = new Map<number, number>();
  const resolver = (epochMs: number): number => {
    // Offsets change on whole hours (or half/quarter hours, still at hour starts) in every zone.
    const hour = Math.floor(epochMs / HOUR_MS);
    const known = byHour.get(hour);
    if (known !== undefined) return known;
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(new Date(hour * HOUR_MS))) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const wall = Date.UTC(
      parts.year!,
      parts.month! - 1,
      parts.day,
      parts.hour,
      parts.minute,
      parts.second,
    );
    const offset = Math.round((wall - hour * HOUR_MS) / 60_000);
    if (byHour.size > 10_000) byHour.clear();
    byHour.set(hour, offset);
    return offset;
  };
  resolvers.set(zone, resolver);
  return resolver;
}

/** The offset at an instant. */
export function offsetAt(offset: UtcOffset, epochMs: number): number {
  return typeof offset === 'number' ? offset : offset(epochMs);
}

/** Epoch ms of a wall-clock time read as UTC (`wallMs`) in a sender's zone. */
export function wallToEpoch(wallMs: number, offset: UtcOffset): number {
  if (typeof offset === 'number') return wallMs - offset * 60_000;
  // Two steps settle every case but the skipped hour at a DST start, which lands an hour on.
  const first = wallMs - offset(wallMs) * 60_000;
  return wallMs - offset(first) * 60_000;
}
