import { describe, expect, it } from 'vitest';
import { backoffDelay, parseAgentConfig, parseIsolationPolicy } from '../index.ts';

const base = { serverUrl: 'wss://198.18.0.1:9443/agents', stateDir: '/var/lib/cordon-agent' };

describe('parseAgentConfig', () => {
  it('fills defaults and normalises the allow-list and pin', () => {
    const config = parseAgentConfig({
      ...base,
      serverCertificateSha256: 'AB:'.repeat(31) + 'AB',
      isolation: { allow: ['198.18.0.7/24', { network: 'FD00:C0D0::5', ports: [22, 22, 443] }] },
    });
    expect(config.serverCertificateSha256).toBe('ab'.repeat(32));
    expect(config.keyPath).toBe('/var/lib/cordon-agent/agent.key');
    expect(config.isolation.allow).toEqual([
      { network: '198.18.0.0/24' },
      { network: 'fd00:c0d0::5', ports: [22, 443] },
    ]);
    expect(config.telemetry).toMatchObject({ processes: true, connections: true, logFiles: [] });
  });

  it('refuses what would be unsafe or unusable, saying what is wrong', () => {
    expect(() => parseAgentConfig({ ...base, serverUrl: 'ws://198.18.0.1/' })).toThrow(
      /must be wss/,
    );
    expect(() => parseAgentConfig({ ...base, stateDir: 'relative' })).toThrow(/absolute/);
    expect(() => parseAgentConfig({ ...base, serverCertificateSha256: 'abc' })).toThrow(/64 hex/);
    expect(() => parseAgentConfig({ ...base, isolation: { allow: ['10.0.0.1; drop'] } })).toThrow(
      /not an IP address or CIDR/,
    );
    expect(() =>
      parseAgentConfig({ ...base, isolation: { allow: [], server: [{ address: 'x', port: 1 }] } }),
    ).toThrow(/not an IP address/);
    expect(() => parseAgentConfig({ ...base, telemetry: { logFiles: ['auth.log'] } })).toThrow(
      /not absolute/,
    );
  });
});

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, with full jitter', () => {
    expect(backoffDelay(0, 500, 30_000, () => 0.999)).toBe(499);
    expect(backoffDelay(3, 500, 30_000, () => 0.5)).toBe(2000);
    expect(backoffDelay(50, 500, 30_000, () => 0.999)).toBe(29_970);
    expect(backoffDelay(5, 500, 30_000, () => 0)).toBe(0);
  });

  // issue 13 item "an isolation whose allow-list contains 0.0.0.0/0 or ::/0 is no isolation"
  it('refuses an allow-list that opens everything, in the config and merged with a command', () => {
    for (const allow of [
      ['0.0.0.0/0'],
      ['::/0'],
      ['0.0.0.0/1', '128.0.0.0/1'],
      ['::ffff:0:0/96'],
    ]) {
      expect(() => parseAgentConfig({ ...base, isolation: { allow } }), allow.join(' ')).toThrow(
        /isolation\.allow: .*(opens too much|no isolation)/,
      );
    }
    const server = [{ address: '198.18.0.1', port: 9443 }];
    // Each list alone is narrow enough; the configured list plus the command's is not.
    const merged = [{ network: '10.0.0.0/8' }, { network: '11.0.0.0/8' }];
    expect(() => parseIsolationPolicy({ server, allow: merged })).toThrow(/no isolation/);
    expect(parseIsolationPolicy({ server, allow: merged.slice(0, 1) }).allow).toHaveLength(1);
  });
});
