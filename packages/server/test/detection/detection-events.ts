/** Realistic telemetry for detection tests, parsed by @cordon/ingest as the pipeline does. */
import { UNRECORDED_PROVENANCE } from '@cordon/core';
import type { IngestEvent } from '@cordon/ingest';
import { parseRecord } from '@cordon/ingest';
import type { StoredIngestEvent } from '../../src/pipeline/contracts.ts';

export const BASE = Date.UTC(2024, 9, 11, 22, 0, 0);
const at = (s: number): string => new Date(BASE + s * 1000).toISOString();

export function parse(raw: string): IngestEvent {
  const outcome = parseRecord(raw, { receivedAt: new Date(BASE + 3_600_000) });
  if (outcome.kind === 'failure') throw new Error(`${outcome.code}: ${outcome.reason}`);
  if (outcome.events.length !== 1) throw new Error(`expected one event from ${raw}`);
  return outcome.events[0]!;
}

let sequence = 0;
export const stored = (events: readonly IngestEvent[]): StoredIngestEvent[] =>
  events.map((event) => ({ id: `ev-${++sequence}`, event, provenance: UNRECORDED_PROVENANCE }));

export function sshFailure(s: number, ip: string, user = 'root', host = 'bastion'): IngestEvent {
  const time = new Date(BASE + s * 1000).toISOString().slice(11, 19);
  return parse(
    `Oct 11 ${time} ${host} sshd[${4000 + s}]: Failed password for ${user} from ${ip} port ${40000 + s} ssh2`,
  );
}

export function windowsFailure(
  s: number,
  ip: string,
  user = 'administrator',
  logonType = '3',
): IngestEvent {
  return parse(
    JSON.stringify({
      '@timestamp': at(s),
      host: { name: 'dc01.corp.example' },
      winlog: {
        channel: 'Security',
        computer_name: 'DC01.corp.example',
        event_id: 4625,
        provider_name: 'Microsoft-Windows-Security-Auditing',
        event_data: {
          TargetUserName: user,
          TargetDomainName: 'CORP',
          LogonType: logonType,
          IpAddress: ip,
          IpPort: '0',
          WorkstationName: 'KALI',
        },
      },
    }),
  );
}

export function zeekConn(s: number, ip: string, port: number, state = 'REJ'): IngestEvent {
  return parse(
    JSON.stringify({
      ts: (BASE + s * 1000) / 1000,
      uid: `C${s}`,
      'id.orig_h': ip,
      'id.orig_p': 51515,
      'id.resp_h': '10.0.0.5',
      'id.resp_p': port,
      proto: 'tcp',
      conn_state: state,
    }),
  );
}

export function consoleFailure(s: number, ip: string, user: string): IngestEvent {
  return parse(
    JSON.stringify({
      eventVersion: '1.09',
      userIdentity: { type: 'IAMUser', accountId: '123456789012', userName: user },
      eventTime: at(s).replace(/\.\d+Z$/, 'Z'),
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      awsRegion: 'us-east-1',
      sourceIPAddress: ip,
      responseElements: { ConsoleLogin: 'Failure' },
      eventID: `00000000-0000-4000-8000-${String(s).padStart(12, '0')}`,
      eventType: 'AwsConsoleSignIn',
      recipientAccountId: '123456789012',
    }),
  );
}

export function rdpCoreTs(s: number, ip: string): IngestEvent {
  return parse(
    JSON.stringify({
      Event: {
        System: {
          Provider: {
            '#attributes': { Name: 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS' },
          },
          EventID: 140,
          TimeCreated: { '#attributes': { SystemTime: at(s) } },
          Channel: 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational',
          Computer: 'DC01.corp.example',
        },
        EventData: { IPString: ip },
      },
    }),
  );
}
