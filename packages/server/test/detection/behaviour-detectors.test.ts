/**
 * The behavioural detectors at their boundaries, fed ECS facts directly: just under and just
 * over each threshold, jittered and slow variants, floods that must stay within the memory
 * caps (evictions counted), and a restart (snapshot → JSON → restore) that keeps the baseline.
 */
import { describe, expect, it } from 'vitest';
import { authAttack } from '../../src/detection/detectors/auth-attack.detector.ts';
import { beaconing } from '../../src/detection/detectors/beaconing.detector.ts';
import { dnsTunnel, registeredDomain } from '../../src/detection/detectors/dns-tunnel.detector.ts';
import { loginPattern } from '../../src/detection/detectors/login-pattern.detector.ts';
import { outboundVolume } from '../../src/detection/detectors/outbound-volume.detector.ts';
import { portScan } from '../../src/detection/detectors/port-scan.detector.ts';
import { rareProcess } from '../../src/detection/detectors/rare-process.detector.ts';
import type { DetectorEvent } from '../../src/detection/detectors/detector-event.ts';
import { HOUR, MIN, T0, conn, fact, restarted, run, seeded } from './behaviour-fixtures.ts';

const C2 = '203.0.113.50';

describe('beaconing', () => {
  const make = () => beaconing.create(beaconing.defaults);
  const beacon = (n: number, everyMs: number, jitter: number, seed = 1) => {
    const rnd = seeded(seed);
    let t = T0;
    return Array.from({ length: n }, () => {
      t += everyMs * (1 + jitter * (2 * rnd() - 1));
      return conn(t, '10.0.0.5', C2, 443, { sentBytes: 300 + Math.round(rnd() * 20) });
    });
  };

  it('needs minConnections: 9 regular connections are quiet, the 10th alerts', () => {
    expect(run(make(), beacon(9, 15 * MIN, 0.1))).toEqual([]);
    const found = run(make(), beacon(10, 15 * MIN, 0.1));
    expect(found).toHaveLength(1);
    expect(found[0]!.score).toBeGreaterThanOrEqual(0.8);
    expect(found[0]!.features['connections']).toBe(10);
    expect(found[0]!.tags).toContain('attack.t1071');
  });

  it('finds a beacon jittered ±40 % and a slow one every 30 min spread over the day', () => {
    expect(run(make(), beacon(150, 60_000, 0.4, 7))).toHaveLength(1);
    expect(run(make(), beacon(24, 30 * MIN, 0.2, 9))).toHaveLength(1);
  });

  it('does not call random (exponential) browsing a beacon', () => {
    const rnd = seeded(3);
    let t = T0;
    const browsing = Array.from({ length: 200 }, () => {
      t += -Math.log(1 - rnd()) * 5 * MIN;
      return conn(t, '10.0.0.5', C2, 443, { sentBytes: Math.round(200 + rnd() * 50_000) });
    });
    expect(run(make(), browsing)).toEqual([]);
  });

  it('ignores inside destinations', () => {
    const facts = beacon(30, MIN, 0.05).map((f) => ({ ...f, destinationIp: '10.0.0.9' }));
    expect(run(make(), facts)).toEqual([]);
  });

  it('raises repeated failed connections to one outside endpoint at the threshold', () => {
    const fail = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        conn(T0 + i * MIN * 7, '10.0.0.5', C2, 8443, { outcome: 'failure' }),
      );
    expect(run(make(), fail(19))).toEqual([]);
    const found = run(make(), fail(20));
    expect(found.map((f) => f.key)).toEqual([`failed:10.0.0.5>${C2}:8443/`]);
  });

  it('stays within maxPairs under a flood of distinct pairs and counts evictions', () => {
    const detector = beaconing.create({ ...beaconing.defaults, maxPairs: 1000 });
    run(
      detector,
      Array.from({ length: 20_000 }, (_, i) =>
        conn(T0 + i, '10.0.0.5', `198.51.${i >> 8}.${i & 255}`, 443),
      ),
    );
    // Pairs and destinations: each map holds at most maxPairs.
    expect(detector.entries()).toBe(2000);
    expect(detector.evictions()).toBe(2 * 19_000);
  });

  /** Check-ins whose intervals have a relative MAD of exactly `d`: P(1−d), P, P(1+d) interleaved. */
  const exactly = (d: number, n: number, src = '10.0.0.5', extra: Partial<DetectorEvent> = {}) => {
    const steps = [1 - d, 1 + d];
    let t = T0;
    return Array.from({ length: n }, (_, i) => {
      if (i > 0) t += 15 * MIN * (i === Math.ceil(n / 2) ? 1 : steps[i % 2]!);
      return conn(t, src, C2, 443, { sentBytes: 300, ...extra });
    });
  };

  it('significance: 10 check-ins with relative MAD 0.085 alert (z just over 3), 0.095 do not', () => {
    const over = run(make(), exactly(0.085, 10));
    expect(over).toHaveLength(1);
    expect(over[0]!.features['intervalMadRatio']).toBeCloseTo(0.085, 3);
    expect(over[0]!.features['significance']).toBeGreaterThan(3);
    expect(over[0]!.features['significance']).toBeLessThan(3.1);
    expect(run(make(), exactly(0.095, 10))).toEqual([]);
  });

  it('a heavily jittered beacon (±50 %) needs more check-ins: quiet at 10, found by 40', () => {
    const rnd = seeded(21);
    let t = T0;
    const facts = Array.from({ length: 40 }, () => {
      t += 2 * MIN * (1 + 0.5 * (2 * rnd() - 1));
      return conn(t, '10.0.0.5', C2, 443, { sentBytes: 512 });
    });
    expect(run(make(), facts.slice(0, 10))).toEqual([]);
    const found = run(make(), facts);
    expect(found).toHaveLength(1);
    expect(found[0]!.features['connections']).toBeGreaterThan(10);
    const gaps = facts.slice(1).map((f, i) => (f.timeMs - facts[i]!.timeMs) / (2 * MIN));
    expect(Math.min(...gaps)).toBeLessThan(0.6);
    expect(Math.max(...gaps)).toBeGreaterThan(1.4);
  });

  it('parallel connections of one check-in are one check-in (burstSeconds)', () => {
    const rnd = seeded(5);
    let t = T0;
    const facts = Array.from({ length: 40 }, () => {
      t += MIN * (1 - 0.3 * rnd());
      return [0, 300].map((d) => conn(t + d, '10.0.0.5', C2, 443, { sentBytes: 400 }));
    }).flat();
    const found = run(make(), facts);
    expect(found).toHaveLength(1);
    expect(found[0]!.features['bytesMedian']).toBe(800);
    expect(found[0]!.features['medianIntervalS']).toBeGreaterThan(40);
    // Without it, the gap between the two connections is taken for the period.
    const split = run(beaconing.create({ ...beaconing.defaults, burstSeconds: 0.1 }), facts);
    expect(split.every((f) => (f.features['medianIntervalS'] as number) < 40)).toBe(true);
  });

  it('one destination reached by popularSources hosts on a timer is infrastructure; by 2 it is not', () => {
    const hosts = (n: number) =>
      Array.from({ length: n }, (_, h) => exactly(0.02, 20, `10.0.0.${h + 10}`))
        .flat()
        .sort((a, b) => a.timeMs - b.timeMs);
    expect(run(make(), hosts(4))).toEqual([]);
    const two = run(make(), hosts(2));
    expect(two).toHaveLength(2);
    expect(two[0]!.features['destinationSources']).toBe(2);
  });

  it('hosts keeping one schedule to different servers (NTP to a pool) are infrastructure', () => {
    const ntp = Array.from({ length: 4 }, (_, h) =>
      Array.from({ length: 30 }, (_, i) =>
        conn(
          T0 + h * 7_000 + i * 1024_000 * (1 + 0.02 * Math.sin(i + h)),
          `10.0.0.${h + 10}`,
          `192.0.2.${120 + h}`,
          123,
          {
            sentBytes: 48,
          },
        ),
      ),
    )
      .flat()
      .sort((a, b) => a.timeMs - b.timeMs);
    expect(run(make(), ntp)).toEqual([]);
    // The port is a weak prior, not an allow-list: one host alone on that timer still alerts.
    const alone = run(
      make(),
      ntp.filter((f) => f.sourceIp === '10.0.0.10'),
    );
    expect(alone).toHaveLength(1);
    expect(alone[0]!.features['servicePrior']).toBeGreaterThan(0);
  });

  it('schedules and destinations stay within maxPairs under a flood of regular pairs', () => {
    const detector = beaconing.create({ ...beaconing.defaults, maxPairs: 300 });
    const facts = Array.from({ length: 2000 }, (_, p) =>
      Array.from({ length: 6 }, (_, i) =>
        conn(
          T0 + i * (60_000 + p * 997),
          `10.0.${p >> 8}.${p & 255}`,
          `198.51.100.${p % 200}`,
          4000 + p,
          {
            sentBytes: 100 + p,
          },
        ),
      ),
    )
      .flat()
      .sort((a, b) => a.timeMs - b.timeMs);
    run(detector, facts);
    expect(detector.entries()).toBeLessThanOrEqual(900);
    expect(detector.entries()).toBeGreaterThan(600);
    expect(detector.evictions()).toBeGreaterThan(2 * 1700);
  });

  it('a restart keeps which destinations are popular, and reads the older snapshot format', () => {
    const hosts = Array.from({ length: 4 }, (_, h) => exactly(0.02, 20, `10.0.0.${h + 10}`))
      .flat()
      .sort((a, b) => a.timeMs - b.timeMs);
    const first = make();
    const cut = hosts.findIndex((f) => f.timeMs > T0 + 4 * 15 * MIN);
    expect(run(first, hosts.slice(0, cut))).toEqual([]);
    // After the restart one host goes on alone: the restored detector still knows the other three.
    const alone = hosts.slice(cut).filter((f) => f.sourceIp === '10.0.0.10');
    expect(run(restarted(make, first), alone)).toEqual([]);
    expect(run(make(), alone)).toHaveLength(1);
    const older = make();
    const snapshot = first.snapshot() as { pairs: unknown[] };
    older.restore(JSON.parse(JSON.stringify(snapshot.pairs)));
    expect(older.entries()).toBe(4);
  });

  it('keeps a half-seen beacon across a restart', () => {
    const facts = beacon(12, 10 * MIN, 0.1);
    const first = make();
    expect(run(first, facts.slice(0, 8))).toEqual([]);
    const after = restarted(make, first);
    expect(run(after, facts.slice(8))).toHaveLength(1);
    expect(run(make(), facts.slice(8))).toEqual([]);
  });
});

describe('port-scan', () => {
  const make = () => portScan.create(portScan.defaults);
  const ports = (n: number, spreadMs: number) =>
    Array.from({ length: n }, (_, i) =>
      conn(T0 + (i * spreadMs) / Math.max(1, n - 1), '10.0.0.66', '10.0.0.10', 1000 + i, {
        outcome: 'failure',
      }),
    );

  it('vertical: 19 ports are quiet, 20 alert with the scanned set', () => {
    expect(run(make(), ports(19, MIN))).toEqual([]);
    const found = run(make(), ports(20, MIN));
    expect(found).toHaveLength(1);
    expect(found[0]!.features['scannedPorts']).toHaveLength(20);
    expect(found[0]!.tags).toContain('attack.t1046');
  });

  it('a slow scan spread over 55 minutes alerts; spread over 3 hours it falls out of the window', () => {
    expect(run(make(), ports(20, 55 * MIN))).toHaveLength(1);
    expect(run(make(), ports(20, 3 * HOUR))).toEqual([]);
  });

  it('horizontal: one port of 20 inside hosts alerts, 19 do not, outside web sites never', () => {
    const sweep = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) =>
        conn(T0 + i * 1000, '10.0.0.66', `${prefix}${i + 1}`, 445),
      );
    expect(run(make(), sweep(19, '10.0.1.'))).toEqual([]);
    const found = run(make(), sweep(20, '10.0.1.'));
    expect(found).toHaveLength(1);
    expect(found[0]!.features['scannedHosts']).toHaveLength(20);
    expect(run(make(), sweep(60, '198.51.100.'))).toEqual([]);
  });

  it('a flood of sources stays within maxKeys', () => {
    const detector = portScan.create({ ...portScan.defaults, maxKeys: 500 });
    run(
      detector,
      Array.from({ length: 10_000 }, (_, i) =>
        conn(T0 + i, `10.1.${i >> 8}.${i & 255}`, '10.0.0.10', 22),
      ),
    );
    expect(detector.entries()).toBeLessThanOrEqual(1000);
    expect(detector.evictions()).toBeGreaterThan(0);
  });

  it('a scan half done before a restart completes after it', () => {
    const facts = ports(20, 10 * MIN);
    const first = make();
    run(first, facts.slice(0, 12));
    expect(run(restarted(make, first), facts.slice(12))).toHaveLength(1);
  });
});

describe('auth-attack', () => {
  const make = () => authAttack.create(authAttack.defaults);
  const logon = (timeMs: number, user: string, src: string, outcome: 'success' | 'failure') =>
    fact({ kind: 'authentication', timeMs, user, sourceIp: src, outcome });

  it('spraying: 9 accounts from one source are quiet, 10 alert', () => {
    const spray = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        logon(T0 + i * 20_000, `user${i}`, '198.51.100.7', 'failure'),
      );
    expect(run(make(), spray(9))).toEqual([]);
    const found = run(make(), spray(10));
    expect(found.map((f) => f.key)).toEqual(['spray:198.51.100.7']);
    expect(found[0]!.features['users']).toHaveLength(10);
  });

  it('brute force of one account: 19 failures quiet, 20 alert, from many sources too', () => {
    const brute = (n: number, many: boolean) =>
      Array.from({ length: n }, (_, i) =>
        logon(T0 + i * 30_000, 'alice', many ? `198.51.100.${i + 1}` : '198.51.100.7', 'failure'),
      );
    expect(run(make(), brute(19, false))).toEqual([]);
    expect(run(make(), brute(20, false)).map((f) => f.key)).toEqual(['brute:alice']);
    const distributed = run(make(), brute(20, true));
    expect(distributed[0]!.features['sources']).toBe(20);
  });

  it('success after failures: 4 failures then a success is a typo, 5 is a compromise', () => {
    const attempt = (failures: number) => [
      ...Array.from({ length: failures }, (_, i) =>
        logon(T0 + i * MIN, 'bob', '198.51.100.9', 'failure'),
      ),
      logon(T0 + failures * MIN, 'bob', '198.51.100.9', 'success'),
    ];
    expect(run(make(), attempt(4))).toEqual([]);
    const found = run(make(), attempt(5));
    expect(found.map((f) => [f.key, f.level])).toEqual([['success:bob@198.51.100.9', 'critical']]);
  });

  it('failures older than the window do not count (slow guessing over hours is below it)', () => {
    const slow = Array.from({ length: 40 }, (_, i) =>
      logon(T0 + i * 5 * MIN, 'carol', '198.51.100.3', 'failure'),
    );
    expect(run(make(), slow)).toEqual([]);
  });

  it('keeps failures across a restart', () => {
    const facts = Array.from({ length: 12 }, (_, i) =>
      logon(T0 + i * 10_000, `u${i}`, '198.51.100.8', 'failure'),
    );
    const first = make();
    run(first, facts.slice(0, 6));
    expect(run(restarted(make, first), facts.slice(6))).toHaveLength(1);
  });
});

describe('rare-process', () => {
  const make = () => rareProcess.create(rareProcess.defaults);
  const proc = (timeMs: number, host: string, name: string, parent = 'explorer.exe') =>
    fact({ kind: 'process', timeMs, host, processName: name, parentName: parent });
  const baseline = () =>
    ['ws1', 'ws2', 'ws3', 'ws4'].flatMap((host, h) =>
      Array.from({ length: 30 }, (_, i) => [
        proc(T0 + i * HOUR + h, host, 'chrome.exe'),
        proc(T0 + i * HOUR + h + 1, host, 'winword.exe'),
        proc(T0 + i * HOUR + h + 2, host, 'powershell.exe', 'explorer.exe'),
      ]).flat(),
    );

  it('is quiet during the baseline period and for known processes after it', () => {
    const detector = make();
    expect(run(detector, baseline())).toEqual([]);
    expect(run(detector, [proc(T0 + 40 * HOUR, 'ws1', 'chrome.exe')])).toEqual([]);
  });

  it('raises a process new to the host and the tenant after the baseline', () => {
    const detector = make();
    run(detector, baseline());
    const found = run(detector, [proc(T0 + 40 * HOUR, 'ws2', 'mimikatz.exe', 'cmd.exe')]);
    expect(found.map((f) => f.key)).toEqual(['process:ws2:mimikatz.exe']);
  });

  it('raises Word starting PowerShell high, and not a process only during the baseline', () => {
    const detector = make();
    run(detector, baseline());
    const found = run(detector, [proc(T0 + 40 * HOUR, 'ws3', 'powershell.exe', 'winword.exe')]);
    expect(found.map((f) => [f.key, f.level])).toEqual([
      ['pair:winword.exe>powershell.exe', 'high'],
    ]);
    expect(run(make(), [proc(T0, 'ws9', 'mimikatz.exe')])).toEqual([]);
  });

  it('a restart keeps the baseline (a fresh detector would learn again instead)', () => {
    const first = make();
    run(first, baseline());
    const late = proc(T0 + 40 * HOUR, 'ws1', 'psexesvc.exe', 'services.exe');
    expect(run(restarted(make, first), [late])).toHaveLength(1);
    expect(run(make(), [late])).toEqual([]);
  });

  it('a flood of random process names stays within the caps', () => {
    const detector = rareProcess.create({
      ...rareProcess.defaults,
      maxTenantProcesses: 300,
      processesPerHost: 50,
    });
    run(
      detector,
      Array.from({ length: 5000 }, (_, i) => proc(T0 + i, 'ws1', `p${i}.exe`)),
    );
    expect(detector.entries()).toBeLessThanOrEqual(1 + 300 + 5000);
    expect(detector.evictions()).toBeGreaterThan(0);
  });
});

describe('login-pattern', () => {
  const make = () => loginPattern.create(loginPattern.defaults);
  const logon = (timeMs: number, country: string, ip = '81.2.69.1', asn = 20712) =>
    fact({
      kind: 'authentication',
      timeMs,
      outcome: 'success',
      user: 'dana',
      sourceIp: ip,
      sourceCountry: country,
      sourceAsn: asn,
    });
  const usual = (n: number) =>
    Array.from({ length: n }, (_, i) => logon(T0 + i * 24 * HOUR + 9 * HOUR, 'GB'));

  it('judges nothing before baselineLogons', () => {
    expect(
      run(make(), [...usual(9), logon(T0 + 10 * 24 * HOUR + 9 * HOUR, 'BR', '200.1.1.1', 1)]),
    ).toEqual([]);
  });

  it('a new country after the baseline', () => {
    const found = run(make(), [
      ...usual(10),
      logon(T0 + 20 * 24 * HOUR + 9 * HOUR, 'DE', '5.1.1.1', 3320),
    ]);
    expect(found.map((f) => f.key)).toEqual(['country:dana:DE']);
    expect(found[0]!.baseline['countries']).toEqual(['GB']);
  });

  it('impossible travel: GB then AU 2 hours later; GB then FR 2 hours later is possible', () => {
    const day = T0 + 20 * 24 * HOUR + 9 * HOUR;
    const travel = run(make(), [
      ...usual(10),
      logon(day, 'GB'),
      logon(day + 2 * HOUR, 'AU', '1.1.1.9', 13335),
    ]);
    expect(travel.map((f) => f.key)).toEqual(['travel:dana']);
    const near = run(make(), [
      ...usual(10),
      logon(day, 'FR', '2.1.1.1', 3215),
      logon(day + HOUR, 'GB'),
    ]);
    expect(near.map((f) => f.key)).toEqual(['country:dana:FR']);
  });

  it('an unusual hour for the user', () => {
    const found = run(make(), [...usual(30), logon(T0 + 40 * 24 * HOUR + 3 * HOUR, 'GB')]);
    expect(found.map((f) => f.key)).toEqual(['hour:dana:3']);
    expect(run(make(), [...usual(30), logon(T0 + 40 * 24 * HOUR + 10 * HOUR, 'GB')])).toEqual([]);
  });

  it('a restart keeps the user baseline', () => {
    const first = make();
    run(first, usual(12));
    const found = run(restarted(make, first), [
      logon(T0 + 30 * 24 * HOUR + 9 * HOUR, 'RU', '5.3.3.3', 8359),
    ]);
    expect(found.map((f) => f.key)).toEqual(['country:dana:RU']);
  });
});

describe('outbound-volume', () => {
  const make = () => outboundVolume.create(outboundVolume.defaults);
  const hours = (n: number, bytes: (h: number) => number, from = 0) =>
    Array.from({ length: n }, (_, i) =>
      conn(T0 + (from + i) * HOUR + 30 * MIN, '10.0.0.7', '198.51.100.80', 443, {
        host: 'ws7',
        sentBytes: bytes(from + i),
      }),
    );
  const rnd = seeded(11);
  const normal = (h: number) => (h % 24 >= 8 && h % 24 < 18 ? 20e6 : 2e6) * (0.8 + 0.4 * rnd());

  it('is quiet on a diurnal baseline and alerts on an hour far above its own history', () => {
    const detector = make();
    expect(run(detector, hours(24 * 5, normal))).toEqual([]);
    expect(
      run(
        detector,
        hours(1, () => 28e6, 24 * 5 + 10),
      ),
    ).toEqual([]);
    const found = run(
      detector,
      hours(1, () => 400e6, 24 * 5 + 11),
    );
    expect(found).toHaveLength(1);
    expect(found[0]!.baseline['seasonality']).toBe('hour of day');
    expect(found[0]!.tags).toContain('attack.t1048');
  });

  it('a night hour is compared with nights: 60 MB at 03:00 alerts, 60 MB at noon does not', () => {
    const detector = make();
    run(detector, hours(24 * 5, normal));
    expect(
      run(
        detector,
        hours(1, () => 30e6, 24 * 5 + 12),
      ),
    ).toEqual([]);
    expect(
      run(
        detector,
        hours(1, () => 60e6, 24 * 6 + 3),
      ),
    ).toHaveLength(1);
  });

  it("a host heavy-tailed by nature: an hour under 1.5 × its week's peak is quiet, over it alerts", () => {
    // A backup agent: 2 MB most hours, 100 MB in the 02:00 run.
    const backup = (h: number) => (h % 24 === 2 ? 100e6 : 2e6);
    const quiet = make();
    run(quiet, hours(24 * 5, backup));
    const under = run(
      quiet,
      hours(1, () => 145e6, 24 * 5 + 14),
    );
    expect(under).toEqual([]);
    const loud = make();
    run(loud, hours(24 * 5, backup));
    const over = run(
      loud,
      hours(1, () => 155e6, 24 * 5 + 14),
    );
    expect(over).toHaveLength(1);
    expect(over[0]!.baseline['weekPeakBytes']).toBe(100e6);
  });

  it('a restart keeps the hourly history', () => {
    const first = make();
    run(first, hours(24 * 4, normal));
    expect(
      run(
        restarted(make, first),
        hours(1, () => 500e6, 24 * 4 + 2),
      ),
    ).toHaveLength(1);
    expect(
      run(
        make(),
        hours(1, () => 500e6, 24 * 4 + 2),
      ),
    ).toEqual([]);
  });
});

describe('dns-tunnel', () => {
  const make = () => dnsTunnel.create(dnsTunnel.defaults);
  const q = (timeMs: number, name: string, rcode = 'NOERROR') =>
    fact({ kind: 'dns', timeMs, sourceIp: '10.0.0.8', dnsName: name, dnsResponseCode: rcode });
  const rnd = seeded(5);
  const label = (n: number) =>
    Array.from(
      { length: n },
      () => 'abcdefghijklmnopqrstuvwxyz234567'[Math.floor(rnd() * 32)],
    ).join('');

  it('registered domains', () => {
    expect(registeredDomain('a.b.example.com')).toBe('example.com');
    expect(registeredDomain('x.example.co.uk')).toBe('example.co.uk');
  });

  it('unique subdomains: 99 quiet, 100 alert', () => {
    const names = (n: number) =>
      Array.from({ length: n }, (_, i) => q(T0 + i * 1000, `h${i}.cdn.example.net`));
    expect(run(make(), names(99))).toEqual([]);
    expect(run(make(), names(100)).map((f) => f.key)).toEqual(['10.0.0.8>example.net']);
  });

  it('encoded labels: 19 quiet, 20 alert; long low-entropy labels never', () => {
    const encoded = (n: number) =>
      Array.from({ length: n }, (_, i) => q(T0 + i * 5000, `${label(50)}.t.evil.example`));
    expect(run(make(), encoded(19))).toEqual([]);
    expect(run(make(), encoded(20))).toHaveLength(1);
    const plain = Array.from({ length: 40 }, (_, i) =>
      q(T0 + i * 5000, `${'a'.repeat(35)}${i % 3}.x.example.org`),
    );
    expect(run(make(), plain)).toEqual([]);
  });

  it('NXDOMAIN burst: 49 names quiet, 50 alert', () => {
    const nx = (n: number) =>
      Array.from({ length: n }, (_, i) => q(T0 + i * 2000, `${label(12)}.com`, 'NXDOMAIN'));
    expect(run(make(), nx(49))).toEqual([]);
    expect(run(make(), nx(50)).map((f) => f.key)).toEqual(['nx:10.0.0.8']);
  });

  it('a flood of distinct domains stays within maxKeys', () => {
    const detector = dnsTunnel.create({ ...dnsTunnel.defaults, maxKeys: 200 });
    run(
      detector,
      Array.from({ length: 5000 }, (_, i) => q(T0 + i, `www.d${i}.com`)),
    );
    expect(detector.entries()).toBeLessThanOrEqual(400);
    expect(detector.evictions()).toBe(4800);
  });

  it('a restart keeps the subdomains seen', () => {
    const first = make();
    const names = Array.from({ length: 100 }, (_, i) => q(T0 + i * 1000, `h${i}.cdn.example.net`));
    run(first, names.slice(0, 60));
    expect(run(restarted(make, first), names.slice(60))).toHaveLength(1);
  });
});
