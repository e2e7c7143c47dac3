/**
 * One labelled scenario for `npm run eval:detection`, generated from a seed: four days of one
 * tenant's activity as SYNTHETIC log records (Zeek conn and dns JSON, Windows Security
 * 4624/4625/4688 JSON) and the attacks injected into it, with their labels.
 *
 * Normal activity is what makes a detector cry wolf, so it is written to look like a real
 * office network rather than like the detectors' blind spots:
 * - people browsing in sessions (bursts of parallel connections, then reading time), mostly in
 *   office hours, to sites whose popularity follows a Zipf law, with shared CDN addresses;
 * - services that call home on a timer, with their real-world periods and jitter: NTP (1024 s
 *   polls, 48-byte packets, servers from one shared pool), Chrome's updater (5 h), Windows
 *   Update (22 h), antivirus signature checks (hourly), a monitoring agent on the servers
 *   (60 s), a collaboration client's keep-alive poll (5 min, office hours);
 * - with some probability, services only ONE host uses: a licence check every 30 min to the
 *   vendor and a backup agent uploading every 15 min. Their timing is as regular as an
 *   implant's and no other host reaches their endpoint: they are the cases a timing detector
 *   cannot tell from command-and-control, and they stay in so the figures are honest.
 * Attacks: beacons jittered 10–50 % (both ±j and the "sleep minus up to j" style of common
 * implants), slow beacons (30–60 min), long sleeps (2–4 h over the four days), a beacon on a
 * laptop that sleeps at night, a beacon that opens two connections per check-in, repeated
 * failed connections; vertical and horizontal scans fast and spread over the detector's
 * window; spraying and brute force; rare processes; a logon from abroad; a large upload;
 * DNS tunnelling and an NXDOMAIN burst. Every random choice comes from the seed.
 */

export const HOUR = 3_600_000;
export const DAYS = 4;
const MIN = 60_000;

export interface Label {
  readonly detector: string;
  /** An entity the alert must name (host, user or address). */
  readonly entity: string;
  /** Other parties of the same attack (an exfiltration's destination): another detector's alert naming one is not a false alarm on normal traffic. */
  readonly related?: readonly string[];
  readonly startMs: number;
  readonly what: string;
}

export interface Scenario {
  readonly records: readonly { at: number; raw: string }[];
  readonly labels: readonly Label[];
  /** What benign periodic services this scenario holds (for the printed summary). */
  readonly periodic: readonly string[];
}

export interface ScenarioOptions {
  readonly seed: number;
  readonly start: number;
  /** Addresses of logon sources with distinct countries in the offline database; the first is home. */
  readonly located: readonly { ip: string; country: string }[];
}

/** mulberry32: small, seeded, the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function scenario(options: ScenarioOptions): Scenario {
  const rnd = seeded(options.seed);
  const T0 = options.start;
  const END = T0 + DAYS * 24 * HOUR;
  const ATTACK_DAY = T0 + (DAYS - 1) * 24 * HOUR;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const between = (lo: number, hi: number): number => lo + (hi - lo) * rnd();
  const exponential = (mean: number): number => -Math.log(1 - rnd()) * mean;
  const logNormal = (medianValue: number, sigma: number): number => {
    const normal = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    return medianValue * Math.exp(sigma * normal);
  };
  const labels: Label[] = [];
  const periodic: string[] = [];
  const records: { at: number; raw: string }[] = [];
  const add = (at: number, raw: object): void =>
    void records.push({ at, raw: JSON.stringify(raw) });
  const attack = (
    detector: string,
    entity: string,
    startMs: number,
    what: string,
    related: readonly string[] = [],
  ): void => void labels.push({ detector, entity, startMs, what, related });

  const conn = (
    at: number,
    src: string,
    dst: string,
    port: number,
    bytes: number,
    extra: { state?: string; proto?: string } = {},
  ): void =>
    add(at, {
      ts: at / 1000,
      uid: `C${records.length}`,
      'id.orig_h': src,
      'id.orig_p': 40000 + (records.length % 20000),
      'id.resp_h': dst,
      'id.resp_p': port,
      proto: extra.proto ?? 'tcp',
      conn_state: extra.state ?? 'SF',
      orig_bytes: Math.max(0, Math.round(bytes)),
      resp_bytes: 2000,
    });
  const dns = (at: number, src: string, query: string, rcode = 'NOERROR'): void =>
    add(at, {
      ts: at / 1000,
      uid: `D${records.length}`,
      'id.orig_h': src,
      'id.orig_p': 53000,
      'id.resp_h': '10.0.0.53',
      'id.resp_p': 53,
      proto: 'udp',
      query,
      qtype_name: 'A',
      rcode_name: rcode,
    });
  const logon = (at: number, user: string, ip: string, ok: boolean): void =>
    add(at, {
      '@timestamp': new Date(at).toISOString(),
      winlog: {
        channel: 'Security',
        computer_name: 'DC01.corp.example',
        event_id: ok ? 4624 : 4625,
        provider_name: 'Microsoft-Windows-Security-Auditing',
        event_data: {
          TargetUserName: user,
          TargetDomainName: 'CORP',
          LogonType: '10',
          IpAddress: ip,
          IpPort: '0',
        },
      },
    });
  const processStart = (at: number, host: string, image: string, parent: string): void =>
    add(at, {
      '@timestamp': new Date(at).toISOString(),
      winlog: {
        channel: 'Security',
        computer_name: host,
        event_id: 4688,
        provider_name: 'Microsoft-Windows-Security-Auditing',
        event_data: {
          NewProcessName: `C:\\Apps\\${image}`,
          ParentProcessName: `C:\\Apps\\${parent}`,
          SubjectUserName: 'user',
          NewProcessId: '0x10',
          ProcessId: '0x4',
        },
      },
    });
  /** A timer from `from` to `to`: each gap is `gap()`; `during` filters the times it fires. */
  const timer = (
    from: number,
    to: number,
    gap: () => number,
    fire: (at: number) => void,
    during: (at: number) => boolean = () => true,
  ): number => {
    let fired = 0;
    for (let t = from; t < to; t += Math.max(1000, gap()))
      if (during(t)) {
        fire(t);
        fired++;
      }
    return fired;
  };
  const hourOf = (at: number): number => new Date(at).getUTCHours();
  const officeHours = (at: number): boolean => hourOf(at) >= 8 && hourOf(at) < 18;

  // ---- the tenant ----
  const servers = Array.from({ length: 4 }, (_, i) => `10.0.0.${i + 10}`);
  const workstations = Array.from({ length: 20 }, (_, i) => `10.0.0.${i + 20}`);
  const names = (h: number): string => `ws${String(h).padStart(2, '0')}.corp.example`;
  const linux = [...servers, ...workstations.filter(() => rnd() < 0.3)];
  const sites = Array.from({ length: 80 }, (_, i) => `198.51.${100 + (i % 3)}.${10 + i}`);
  const zipf = sites.map((_, i) => 1 / (i + 1));
  const zipfTotal = zipf.reduce((a, b) => a + b, 0);
  const site = (): string => {
    let r = rnd() * zipfTotal;
    for (const [i, w] of zipf.entries()) if ((r -= w) <= 0) return sites[i]!;
    return sites[sites.length - 1]!;
  };
  const cdns = ['192.0.2.10', '192.0.2.11', '192.0.2.12', '192.0.2.13'];
  const domains = [
    'example.com',
    'example.org',
    'news.example.net',
    'cdn.example.net',
    'mail.example.com',
    'update.example.org',
  ];
  const users = Array.from({ length: 12 }, (_, i) => `user${i}`);
  const home = options.located[0]!;
  const commonProcesses = [
    'chrome.exe',
    'outlook.exe',
    'winword.exe',
    'excel.exe',
    'teams.exe',
    'svchost.exe',
  ];

  // ---- people: browsing sessions, DNS, processes, logons ----
  for (const [h, ip] of workstations.entries()) {
    const arrives = 7.5 + rnd() * 2;
    for (let day = 0; day < DAYS; day++) {
      for (let hour = 0; hour < 24; hour++) {
        const start = T0 + (day * 24 + hour) * HOUR;
        const office = hour >= arrives && hour < arrives + 9;
        let t = start;
        while ((t += exponential((office ? 20 : 240) * MIN)) < start + HOUR) {
          const target = site();
          const viaCdn = rnd() < 0.5 ? pick(cdns) : undefined;
          let at = t;
          const count = 1 + Math.floor(exponential(6));
          for (let c = 0; c < count; c++) {
            at += rnd() < 0.75 ? rnd() * 3000 : exponential(40_000);
            conn(at, ip, c % 3 === 2 && viaCdn ? viaCdn : target, 443, logNormal(8000, 1.2));
          }
        }
        for (let q = 0; q < (office ? 12 : 2); q++)
          dns(
            start + rnd() * HOUR,
            ip,
            `${pick(['www', 'api', 'img', 'static'])}.${pick(domains)}`,
          );
        if (office && rnd() < 0.5)
          processStart(start + rnd() * HOUR, names(h), pick(commonProcesses), 'explorer.exe');
      }
    }
  }
  for (let day = 0; day < DAYS; day++)
    for (const user of users) {
      const at = T0 + day * 24 * HOUR + (8 + rnd() * 2) * HOUR;
      if (rnd() < 0.3) logon(at - 60_000, user, home.ip, false); // a typo
      logon(at, user, home.ip, true);
      logon(at + 4 * HOUR, user, home.ip, true);
      for (let k = 0; k < 3; k++) logon(at + (1 + k) * HOUR, user, home.ip, true);
    }
  // Enough logon history: earlier days of the same habit (the login-pattern baseline).
  for (let day = 1; day <= 10; day++)
    for (const user of users) logon(T0 - day * 24 * HOUR + 9 * HOUR, user, home.ip, true);

  // ---- services on a timer (benign) ----
  const ntpPool = Array.from({ length: 8 }, (_, i) => `192.0.2.${120 + i}`);
  for (const ip of linux) {
    const mine = [...ntpPool].sort(() => rnd() - 0.5).slice(0, 4);
    for (const server of mine)
      timer(
        T0 + rnd() * 1024_000,
        END,
        () => 1024_000 * between(0.97, 1.03),
        (at) => conn(at, ip, server, 123, 48, { proto: 'udp' }),
      );
  }
  periodic.push(`NTP from ${linux.length} hosts to 4 of ${ntpPool.length} pool servers, 1024 s`);
  for (const ip of workstations) {
    timer(
      T0 + rnd() * 5 * HOUR,
      END,
      () => 5 * HOUR * between(0.95, 1.05),
      (at) => conn(at, ip, '192.0.2.40', 443, logNormal(1800, 0.05)),
    );
    timer(
      T0 + rnd() * 22 * HOUR,
      END,
      () => 22 * HOUR + between(0, 4) * HOUR,
      (at) => conn(at, ip, '192.0.2.41', 443, logNormal(5000, 0.3)),
    );
    timer(
      T0 + rnd() * HOUR,
      END,
      () => HOUR + between(-5, 5) * MIN,
      (at) => conn(at, ip, '192.0.2.42', 443, logNormal(900, 0.1)),
    );
    timer(
      T0 + rnd() * 5 * MIN,
      END,
      () => 5 * MIN * between(0.9, 1.1),
      (at) => conn(at, ip, pick(['192.0.2.50', '192.0.2.51']), 443, logNormal(600, 0.05)),
      officeHours,
    );
  }
  periodic.push(
    'Chrome updater 5 h ±5 %, Windows Update 22–26 h, antivirus hourly ±5 min, collaboration poll 5 min ±10 % in office hours (all workstations)',
  );
  for (const ip of servers)
    timer(
      T0 + rnd() * MIN,
      END,
      () => MIN + between(-500, 500),
      (at) => conn(at, ip, '192.0.2.60', 443, logNormal(1500, 0.03)),
    );
  periodic.push('monitoring agent on 4 servers, 60 s ±0.5 s');
  if (rnd() < 0.5) {
    const ip = pick(workstations);
    timer(
      T0 + rnd() * 30 * MIN,
      END,
      () => 30 * MIN * between(0.99, 1.01),
      (at) => conn(at, ip, '192.0.2.70', 443, logNormal(700, 0.02)),
    );
    periodic.push(`licence check from ${ip} only, 30 min ±1 % (benign, single host)`);
  }
  if (rnd() < 0.5) {
    const ip = pick(servers);
    timer(
      T0 + rnd() * 15 * MIN,
      END,
      () => 15 * MIN * between(0.98, 1.02),
      (at) => conn(at, ip, '192.0.2.80', 443, logNormal(2_000_000, 1.5)),
    );
    periodic.push(`backup agent on ${ip} only, 15 min ±2 %, sizes spread widely`);
  }

  // ---- attacks: command and control ----
  const victims = [...workstations].sort(() => rnd() - 0.5);
  const c2 = (i: number): string => `203.0.113.${50 + i}`;
  const beacon = (spec: {
    i: number;
    what: string;
    from: number;
    to: number;
    period: number;
    jitter: number;
    /** 'symmetric': period × (1 ± j); 'sleep': period × (1 − j × u), as common implants do. */
    style: 'symmetric' | 'sleep';
    port?: number;
    during?: (at: number) => boolean;
    perCheckIn?: number;
  }): void => {
    const src = victims[spec.i]!;
    const dst = c2(spec.i);
    const size = between(200, 2000);
    const gap = (): number =>
      spec.style === 'symmetric'
        ? spec.period * (1 + spec.jitter * (2 * rnd() - 1))
        : spec.period * (1 - spec.jitter * rnd());
    let first = Infinity;
    timer(
      spec.from,
      spec.to,
      gap,
      (at) => {
        first = Math.min(first, at);
        const tasked = rnd() < 0.05 ? between(5, 50) : 1;
        for (let k = 0; k < (spec.perCheckIn ?? 1); k++)
          conn(at + k * 300, src, dst, spec.port ?? 443, size * between(0.97, 1.03) * tasked);
      },
      spec.during,
    );
    attack('beaconing', dst, first, spec.what);
  };
  {
    const period = Math.exp(between(Math.log(30_000), Math.log(10 * MIN)));
    const jitter = between(0.1, 0.5);
    const style = rnd() < 0.5 ? 'symmetric' : 'sleep';
    const from = ATTACK_DAY + between(1, 8) * HOUR;
    const hours = between(3, 8);
    beacon({
      i: 0,
      what: `beacon every ${Math.round(period / 1000)} s, jitter ${Math.round(jitter * 100)} % (${style}), ${hours.toFixed(1)} h`,
      from,
      to: from + hours * HOUR,
      period,
      jitter,
      style,
    });
  }
  {
    const period = between(30, 60) * MIN;
    const jitter = between(0.1, 0.3);
    const from = ATTACK_DAY + between(0, 3) * HOUR;
    beacon({
      i: 1,
      what: `slow beacon every ${Math.round(period / MIN)} min ±${Math.round(jitter * 100)} % for 20 h`,
      from,
      to: from + 20 * HOUR,
      period,
      jitter,
      style: 'symmetric',
      port: 8443,
    });
  }
  {
    const period = between(2, 4) * HOUR;
    const jitter = between(0.2, 0.3);
    beacon({
      i: 2,
      what: `long sleep every ${(period / HOUR).toFixed(1)} h ±${Math.round(jitter * 100)} % over ${DAYS} days`,
      from: T0 + between(0, 6) * HOUR,
      to: END,
      period,
      jitter,
      style: 'symmetric',
    });
  }
  {
    const period = between(1, 5) * MIN;
    beacon({
      i: 3,
      what: `beacon every ${(period / MIN).toFixed(1)} min ±20 % on a laptop off at night, last 2 days`,
      from: T0 + (DAYS - 2) * 24 * HOUR,
      to: END,
      period,
      jitter: 0.2,
      style: 'symmetric',
      during: officeHours,
    });
  }
  {
    const from = ATTACK_DAY + between(10, 16) * HOUR;
    beacon({
      i: 4,
      what: 'beacon every 60 s −30 % (sleep style), two connections per check-in, 2 h',
      from,
      to: from + 2 * HOUR,
      period: MIN,
      jitter: 0.3,
      style: 'sleep',
      perCheckIn: 2,
    });
  }
  {
    const src = victims[5]!;
    const dst = c2(5);
    const from = ATTACK_DAY + between(2, 12) * HOUR;
    attack('beaconing', dst, from, 'implant retrying a blocked server every 3–5 min');
    timer(
      from,
      from + 3 * HOUR,
      () => between(3, 5) * MIN,
      (at) => conn(at, src, dst, 443, 0, { state: 'S0' }),
    );
  }

  // ---- attacks: scans ----
  {
    const start = ATTACK_DAY + between(9, 11) * HOUR;
    const ports = 60 + Math.floor(rnd() * 60);
    const spread = between(2, 20) * MIN;
    attack(
      'port-scan',
      '10.0.0.66',
      start,
      `vertical scan of ${ports} ports in ${Math.round(spread / MIN)} min`,
    );
    for (let p = 1; p <= ports; p++)
      conn(start + (p * spread) / ports, '10.0.0.66', '10.0.0.10', p, 0, { state: 'REJ' });
    const sweepStart = start + 2 * HOUR;
    const hostsSwept = 25 + Math.floor(rnd() * 20);
    const over = between(40, 55) * MIN;
    attack(
      'port-scan',
      '10.0.0.67',
      sweepStart,
      `slow horizontal sweep of port 445 over ${hostsSwept} hosts in ${Math.round(over / MIN)} min`,
    );
    for (let i = 1; i <= hostsSwept; i++)
      conn(sweepStart + (i * over) / hostsSwept, '10.0.0.67', `10.0.1.${i}`, 445, 0, {
        state: 'S0',
      });
    const slowStart = start + 4 * HOUR;
    attack('port-scan', '10.0.0.68', slowStart, 'slow vertical scan: 25 ports spread over 55 min');
    for (let p = 0; p < 25; p++)
      conn(slowStart + p * (55 / 24) * MIN, '10.0.0.68', '10.0.0.11', 1000 + p * 37, 0, {
        state: 'REJ',
      });
  }

  // ---- attacks: authentication ----
  {
    const start = ATTACK_DAY + between(12, 14) * HOUR;
    const sprayer = `198.51.200.${7 + Math.floor(rnd() * 100)}`;
    attack('auth-attack', sprayer, start, `password spraying of ${users.length} accounts`);
    for (const [i, user] of users.entries())
      logon(start + i * between(20, 60) * 1000, user, sprayer, false);
    const guesser = `198.51.201.${8 + Math.floor(rnd() * 100)}`;
    attack('auth-attack', 'admin', start + HOUR, '30 failures of admin then a success');
    for (let i = 0; i < 30; i++) logon(start + HOUR + i * 20_000, 'admin', guesser, false);
    logon(start + HOUR + 31 * 20_000, 'admin', guesser, true);
  }
  // ---- attacks: processes, logons, volume, DNS ----
  {
    const start = ATTACK_DAY + between(10, 12) * HOUR;
    const a = 1 + Math.floor(rnd() * 9);
    attack('rare-process', names(a), start, 'Word starts PowerShell');
    processStart(start, names(a), 'powershell.exe', 'winword.exe');
    const b = 10 + Math.floor(rnd() * 9);
    attack('rare-process', names(b), start + HOUR, 'rclone.exe on one host');
    processStart(start + HOUR, names(b), 'rclone.exe', 'cmd.exe');
  }
  const far = options.located.find((l) => l.country !== home.country);
  if (far) {
    const user = pick(users);
    const start = ATTACK_DAY + 9.5 * HOUR + between(0, 2) * HOUR;
    attack(
      'login-pattern',
      user,
      start,
      `logon from ${far.country} after one from ${home.country}`,
    );
    logon(start, user, far.ip, true);
  }
  {
    const host = victims[6]!;
    const start = ATTACK_DAY + between(13, 17) * HOUR;
    attack('outbound-volume', host, start, '900 MB uploaded in one hour', ['203.0.113.80']);
    // Chunks back to back, each taking as long as the link needs: not on a timer.
    let at = start;
    for (let i = 0; i < 30; i++)
      conn((at += between(20, 200) * 1000), host, '203.0.113.80', 443, 30_000_000);
  }
  {
    const start = ATTACK_DAY + between(15, 18) * HOUR;
    const chars = 'abcdefghijklmnopqrstuvwxyz234567';
    const tunneller = victims[7]!;
    attack('dns-tunnel', tunneller, start, 'encoded subdomains of one domain');
    for (let i = 0; i < 200; i++) {
      const label = Array.from({ length: 48 }, () => pick([...chars])).join('');
      dns(start + i * 9_000, tunneller, `${label}.t.exfil-example.com`);
    }
    const generator = victims[8]!;
    attack('dns-tunnel', generator, start + HOUR, 'NXDOMAIN burst of 80 generated names');
    for (let i = 0; i < 80; i++) {
      const name = Array.from({ length: 14 }, () => pick([...'abcdefghijklmnopqrstuvwxyz'])).join(
        '',
      );
      dns(start + HOUR + i * 15_000, generator, `${name}.com`, 'NXDOMAIN');
    }
  }
  records.sort((a, b) => a.at - b.at);
  return { records, labels, periodic };
}
