/**
 * FILETIME (100 ns ticks since 1601-01-01 UTC) to ISO 8601 with seven fractional digits,
 * exact: the fraction comes from modular arithmetic on the two 32-bit halves, so no tick is
 * lost to floating point the way a plain division would lose it.
 */
import { u32 } from './bytes.ts';

const EPOCH_DIFFERENCE_S = 11644473600;
const TICKS_PER_S = 10_000_000;
const TWO_32_MOD_TICKS = 4294967296 % TICKS_PER_S;

export function filetimeIso(bytes: Uint8Array, offset: number): string {
  const low = u32(bytes, offset);
  const high = u32(bytes, offset + 4);
  const fraction = ((((high % TICKS_PER_S) * TWO_32_MOD_TICKS) % TICKS_PER_S) + low) % TICKS_PER_S;
  // The float total is within a few ticks of exact; minus the exact fraction it rounds to
  // the exact second count.
  const seconds = Math.round((high * 4294967296 + low - fraction) / TICKS_PER_S);
  return secondsIso(seconds - EPOCH_DIFFERENCE_S) + '.' + String(fraction).padStart(7, '0') + 'Z';
}

let cachedSecond = NaN;
let cachedText = '';

/** `YYYY-MM-DDTHH:MM:SS` for seconds since 1970, by civil-date arithmetic (no Date object). */
function secondsIso(unixSeconds: number): string {
  if (unixSeconds === cachedSecond) return cachedText;
  const days = Math.floor(unixSeconds / 86400);
  const daySeconds = unixSeconds - days * 86400;
  // Days to year/month/day in the proleptic Gregorian calendar (H. Hinnant's civil_from_days).
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const text =
    `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T` +
    `${two(Math.floor(daySeconds / 3600))}:${two(Math.floor(daySeconds / 60) % 60)}:${two(daySeconds % 60)}`;
  cachedSecond = unixSeconds;
  cachedText = text;
  return text;
}

function two(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** SYSTEMTIME (eight 16-bit fields) as ISO 8601 with milliseconds. */
export function systemtimeIso(bytes: Uint8Array, offset: number): string {
  const f = (i: number): string =>
    String(bytes[offset + 2 * i]! | (bytes[offset + 2 * i + 1]! << 8));
  return (
    `${f(0).padStart(4, '0')}-${f(1).padStart(2, '0')}-${f(3).padStart(2, '0')}T` +
    `${f(4).padStart(2, '0')}:${f(5).padStart(2, '0')}:${f(6).padStart(2, '0')}.${f(7).padStart(3, '0')}Z`
  );
}
