/**
 * The facts behavioural detectors read, taken once from each normalised (ECS) event: who
 * talked to whom and how much, who logged in from where and whether it worked, which process
 * started which, which name was asked of DNS. Detectors never read source-specific fields:
 * whatever parser produced the ECS fields (Zeek, Suricata, nftables, Windows, sshd, CloudTrail,
 * the agent), the same detector applies.
 */
import { originScope } from '@cordon/core';
import type { IngestEvent } from '@cordon/ingest';
import { normaliseIp } from '@cordon/ingest';

export type DetectorEventKind = 'connection' | 'authentication' | 'process' | 'dns' | 'other';

export interface DetectorEvent {
  readonly id: string;
  readonly kind: DetectorEventKind;
  readonly timeMs: number;
  readonly host: string | undefined;
  readonly user: string | undefined;
  readonly sourceIp: string | undefined;
  readonly destinationIp: string | undefined;
  readonly destinationPort: number | undefined;
  /** TLS SNI or HTTP host, when the record has one: beacons are keyed by it as well. */
  readonly serverName: string | undefined;
  /** Bytes the originator sent (`source.bytes`, else `network.bytes`). */
  readonly sentBytes: number | undefined;
  readonly outcome: 'success' | 'failure' | 'unknown' | undefined;
  readonly processName: string | undefined;
  readonly parentName: string | undefined;
  readonly dnsName: string | undefined;
  readonly dnsResponseCode: string | undefined;
  /** Country and AS of the source, from the offline IP database (filled in for logons). */
  sourceCountry?: string | undefined;
  sourceAsn?: number | undefined;
}

const scopes = new Map<string, boolean>();

/** Inside the client's networks (private ranges); remembered for the addresses seen most. */
export function isInternal(ip: string): boolean {
  let internal = scopes.get(ip);
  if (internal === undefined) {
    internal = originScope(ip) === 'internal';
    if (scopes.size >= 65_536) scopes.clear();
    scopes.set(ip, internal);
  }
  return internal;
}

export function detectorEvent(id: string, event: IngestEvent, nowMs: number): DetectorEvent {
  const parsed = Date.parse(event['@timestamp']);
  const category = event.event.category ?? [];
  const fields = event.fields;
  return {
    id,
    kind: kindOf(event, category),
    timeMs: Number.isNaN(parsed) ? nowMs : parsed,
    host: lower(event.host?.name ?? event.host?.hostname),
    user: lower(event.user?.target?.name ?? event.user?.name),
    sourceIp: normaliseIp(event.source?.ip),
    destinationIp: normaliseIp(event.destination?.ip),
    destinationPort: event.destination?.port,
    serverName: lower(
      event.tls?.client?.server_name ?? event.url?.domain ?? text(fields['server_name']),
    ),
    sentBytes: event.source?.bytes ?? event.network?.bytes,
    outcome: event.event.outcome,
    processName: baseName(event.process?.name ?? event.process?.executable),
    parentName: baseName(event.process?.parent?.name ?? event.process?.parent?.executable),
    dnsName: lower(event.dns?.question?.name)?.replace(/\.$/, ''),
    dnsResponseCode: event.dns?.response_code?.toUpperCase(),
  };
}

function kindOf(event: IngestEvent, category: readonly string[]): DetectorEventKind {
  if (event.dns?.question?.name) return 'dns';
  if (category.includes('authentication') && event.event.outcome !== undefined)
    return 'authentication';
  if (category.includes('process') && event.process?.name !== undefined) return 'process';
  if (category.includes('process') && event.process?.executable !== undefined) return 'process';
  if (event.source?.ip !== undefined && event.destination?.ip !== undefined) return 'connection';
  return 'other';
}

function lower(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value.toLowerCase();
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function baseName(path: string | undefined): string | undefined {
  if (path === undefined || path === '') return undefined;
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(cut + 1).toLowerCase();
}
