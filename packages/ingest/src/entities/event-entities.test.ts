import { describe, expect, it } from 'vitest';
import {
  EVTX_4624,
  EVTX_4688,
  SYSMON_3,
  WINLOGBEAT_4625,
  CEF_FIREWALL_DENY,
} from '../testing/samples.ts';
import { parseOne } from '../testing/test-support.ts';
import { eventEntities, normaliseIp } from './event-entities.ts';

describe('eventEntities', () => {
  it('sshd failure: reporting host, source IP, attempted user', () => {
    const e = parseOne(
      'Oct 11 22:14:15 Bastion sshd[1]: Failed password for root from ::ffff:198.51.100.23 port 52113 ssh2',
    );
    expect(eventEntities(e)).toEqual([
      { kind: 'host', role: 'reporter', name: 'Bastion', key: 'bastion', ips: [] },
      { kind: 'ip', role: 'source', address: '198.51.100.23', key: '198.51.100.23' },
      { kind: 'user', role: 'actor', name: 'root', key: 'root' },
    ]);
  });

  it('Windows 4625: the attacking workstation is a source host with its address', () => {
    const entities = eventEntities(parseOne(JSON.stringify(WINLOGBEAT_4625)));
    expect(entities).toContainEqual({
      kind: 'host',
      role: 'source',
      name: 'ATTACKER-PC',
      key: 'attacker-pc',
      ips: ['198.51.100.77'],
    });
    expect(entities).toContainEqual({
      kind: 'host',
      role: 'reporter',
      name: 'DC01.corp.example',
      key: 'dc01.corp.example',
      ips: [],
    });
    expect(entities).toContainEqual({
      kind: 'user',
      role: 'actor',
      name: 'administrator',
      domain: 'CORP',
      key: 'administrator',
    });
  });

  it('leaves out built-in principals and machine accounts', () => {
    const logon = eventEntities(parseOne(JSON.stringify(EVTX_4624)));
    expect(logon.filter((x) => x.kind === 'user').map((x) => x.key)).toEqual(['jdoe']);
    const system = parseOne(
      JSON.stringify({
        ...EVTX_4688,
        Event: {
          ...EVTX_4688.Event,
          EventData: { ...EVTX_4688.Event.EventData, SubjectUserName: 'WS042$' },
        },
      }),
    );
    expect(eventEntities(system).some((x) => x.kind === 'user')).toBe(false);
  });

  it('network events: both ends; firewall observer', () => {
    const net = eventEntities(parseOne(JSON.stringify(SYSMON_3)));
    expect(net.filter((x) => x.kind === 'ip').map((x) => `${x.role}:${x.key}`)).toEqual([
      'source:10.20.30.42',
      'destination:203.0.113.80',
    ]);
    const fw = eventEntities(parseOne(CEF_FIREWALL_DENY));
    expect(fw).toContainEqual({
      kind: 'ip',
      role: 'source',
      address: '198.51.100.9',
      key: '198.51.100.9',
    });
    expect(fw).toContainEqual({
      kind: 'host',
      role: 'reporter',
      name: 'pa-edge-01',
      key: 'pa-edge-01',
      ips: [],
    });
  });

  it('normaliseIp', () => {
    expect(normaliseIp('::FFFF:10.0.0.1')).toBe('10.0.0.1');
    expect(normaliseIp('FE80::1%eth0')).toBe('fe80::1');
    expect(normaliseIp('127.0.0.1')).toBeUndefined();
    expect(normaliseIp('-')).toBeUndefined();
    expect(normaliseIp('300.1.1.1')).toBeUndefined();
    expect(normaliseIp('dead')).toBeUndefined();
  });
});
