/**
 * Logons out of a user's pattern, once the user has `baselineLogons` successful logons on
 * record: from a country or an autonomous system the user never logged on from (the server's
 * offline IP database), at an hour of day the user rarely logs on at (the share of the user's
 * logons in that hour and its neighbours below `unusualHourShare`), or impossible travel — the
 * distance from the previous logon's country over the time between them faster than
 * `travelKmh`. The detector learns every logon, so a new pattern becomes the baseline.
 */
import type { Detector, DetectorFinding, DetectorKind } from './detector.ts';
import { entities } from './detector.ts';
import type { DetectorEvent } from './detector-event.ts';
import { BoundedMap, RecentSet } from './bounded-map.ts';
import { countryDistanceKm } from './country-centroids.ts';
import { round } from './robust-stats.ts';

export const loginPatternDefaults = {
  baselineLogons: 10,
  unusualHourShare: 0.02,
  travelKmh: 1_000,
  minTravelKm: 500,
  maxUsers: 20_000,
  placesPerUser: 32,
};
type Thresholds = typeof loginPatternDefaults;

interface UserState {
  logons: number;
  hours: number[];
  countries: RecentSet;
  asns: RecentSet;
  sources: RecentSet;
  last: { at: number; country: string | null; ip: string } | null;
}

class LoginPatternDetector implements Detector {
  readonly name = 'login-pattern';
  readonly #t: Thresholds;
  #users: BoundedMap<string, UserState>;

  constructor(thresholds: Thresholds) {
    this.#t = thresholds;
    this.#users = new BoundedMap(thresholds.maxUsers);
  }

  observe(e: DetectorEvent, emit: (finding: DetectorFinding) => void): void {
    if (e.kind !== 'authentication' || e.outcome !== 'success' || !e.user || !e.sourceIp) return;
    const state = this.#users.upsert(e.user, () => this.#fresh());
    const finding = state.logons >= this.#t.baselineLogons ? this.#judge(e, state) : undefined;
    if (finding) emit(finding);
    this.#learn(e, state);
  }

  #fresh(): UserState {
    const cap = this.#t.placesPerUser;
    return {
      logons: 0,
      hours: new Array<number>(24).fill(0),
      countries: new RecentSet(cap),
      asns: new RecentSet(cap),
      sources: new RecentSet(cap),
      last: null,
    };
  }

  #judge(e: DetectorEvent, s: UserState): DetectorFinding | undefined {
    const user = e.user!;
    const ip = e.sourceIp!;
    const country = e.sourceCountry;
    const asn = e.sourceAsn === undefined ? undefined : String(e.sourceAsn);
    const hour = new Date(e.timeMs).getUTCHours();
    const hourShare =
      (s.hours[hour]! + s.hours[(hour + 23) % 24]! + s.hours[(hour + 1) % 24]!) / s.logons;
    const baseline = {
      logons: s.logons,
      countries: s.countries.members(),
      asns: s.asns.members(),
      usualHoursUtc: s.hours.flatMap((n, h) => (n / s.logons >= 0.05 ? [String(h)] : [])),
      previousLogon: s.last
        ? `${new Date(s.last.at).toISOString()} ${s.last.ip} ${s.last.country ?? ''}`
        : '',
    };
    const features = {
      sourceIp: ip,
      country: country ?? '',
      asn: asn ?? '',
      hourUtc: hour,
      hourShare: round(hourShare),
      newSource: s.sources.has(ip) ? 'no' : 'yes',
    };
    const base = {
      features,
      baseline,
      entities: entities({ users: [user], sourceIps: [ip], hosts: e.host ? [e.host] : [] }),
      firstSeen: e.timeMs,
      lastSeen: e.timeMs,
      eventIds: [e.id],
      eventCount: 1,
      tags: ['attack.initial_access', 'attack.t1078'],
    };
    const travel = this.#travel(e, s);
    if (travel)
      return {
        ...base,
        key: `travel:${user}`,
        title: `Impossible travel for ${user}: ${s.last!.country} → ${country}`,
        level: 'high',
        score: round(travel.kmh, 0),
        threshold: this.#t.travelKmh,
        summary: `${Math.round(travel.km)} km in ${round(travel.hours, 2)} h since the previous logon`,
        features: { ...features, km: Math.round(travel.km), kmh: Math.round(travel.kmh) },
      };
    if (country && !s.countries.has(country))
      return {
        ...base,
        key: `country:${user}:${country}`,
        title: `Logon of ${user} from a new country (${country})`,
        level: 'medium',
        score: 1,
        threshold: 1,
        summary: `${user} never logged on from ${country} in ${s.logons} logons`,
      };
    if (asn && !s.asns.has(asn))
      return {
        ...base,
        key: `asn:${user}:${asn}`,
        title: `Logon of ${user} from a new network (AS${asn})`,
        level: 'low',
        score: 1,
        threshold: 1,
        summary: `${user} never logged on from AS${asn} in ${s.logons} logons`,
      };
    if (hourShare < this.#t.unusualHourShare)
      return {
        ...base,
        key: `hour:${user}:${hour}`,
        title: `Logon of ${user} at an unusual hour (${hour}:00 UTC)`,
        level: 'low',
        score: round(hourShare),
        threshold: this.#t.unusualHourShare,
        summary: `${round(hourShare * 100, 1)} % of ${user}'s logons fall within an hour of ${hour}:00 UTC`,
      };
    return undefined;
  }

  #travel(e: DetectorEvent, s: UserState): { km: number; hours: number; kmh: number } | undefined {
    const country = e.sourceCountry;
    if (!s.last?.country || !country || s.last.country === country) return undefined;
    const km = countryDistanceKm(s.last.country, country);
    if (km === undefined || km < this.#t.minTravelKm) return undefined;
    const hours = Math.max(e.timeMs - s.last.at, 60_000) / 3_600_000;
    const kmh = km / hours;
    return kmh > this.#t.travelKmh ? { km, hours, kmh } : undefined;
  }

  #learn(e: DetectorEvent, s: UserState): void {
    s.logons++;
    s.hours[new Date(e.timeMs).getUTCHours()]!++;
    if (e.sourceCountry) s.countries.add(e.sourceCountry, e.timeMs);
    if (e.sourceAsn !== undefined) s.asns.add(String(e.sourceAsn), e.timeMs);
    s.sources.add(e.sourceIp!, e.timeMs);
    s.last = { at: e.timeMs, country: e.sourceCountry ?? null, ip: e.sourceIp! };
  }

  snapshot(): unknown {
    return [...this.#users.entries()].map(([u, s]) => [
      u,
      s.logons,
      s.hours,
      s.countries.toJSON(),
      s.asns.toJSON(),
      s.sources.toJSON(),
      s.last,
    ]);
  }

  restore(state: unknown): void {
    this.#users = new BoundedMap(this.#t.maxUsers);
    const cap = this.#t.placesPerUser;
    type Row = [
      string,
      number,
      number[],
      [string, number][],
      [string, number][],
      [string, number][],
      UserState['last'],
    ];
    for (const [u, logons, hours, countries, asns, sources, last] of (Array.isArray(state)
      ? state
      : []) as Row[])
      this.#users.set(u, {
        logons,
        hours,
        countries: new RecentSet(cap, countries),
        asns: new RecentSet(cap, asns),
        sources: new RecentSet(cap, sources),
        last,
      });
  }

  entries(): number {
    return this.#users.size;
  }

  evictions(): number {
    return this.#users.evictions;
  }
}

export const loginPattern: DetectorKind<Thresholds> = {
  name: 'login-pattern',
  description: 'Logons from a new country or network, at an unusual hour, or impossible travel',
  defaults: loginPatternDefaults,
  documentation: {
    baselineLogons: 'successful logons of a user on record before the user is judged',
    unusualHourShare:
      'share of the user’s logons within an hour of this one below which it is unusual',
    travelKmh: 'speed between two logons’ countries above which travel is impossible',
    minTravelKm: 'distance below which a change of country is not travel',
    maxUsers: 'users held per tenant (least recently seen evicted)',
    placesPerUser: 'countries, networks and addresses remembered per user',
  },
  create: (t) => new LoginPatternDetector(t),
};
