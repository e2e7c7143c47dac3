/**
 * A parsed syslog message → events. The payload decides: CEF (`CEF:0|…`), a JSON object
 * (Suricata, osquery and others log JSON through syslog), a Linux authentication program
 * (linux-auth.ts), or plain text. The syslog header always lands in ECS `log.syslog.*` and in
 * `fields` (`hostname`, `app_name`, `proc_id`, `msg_id`, `facility`, `severity`,
 * `structured_data`).
 */
import type { EventParts } from '../event-builder.ts';
import { buildEvent } from '../event-builder.ts';
import { cefEventParts } from '../formats/cef-event.ts';
import { findCef, parseCef } from '../formats/cef.ts';
import { isAuthProgram, linuxAuthFacts } from '../formats/linux-auth.ts';
import { isNetfilterLine, netfilterEvent } from '../formats/netfilter-event.ts';
import type { IngestEvent, JsonObject, LogSource, SyslogEcs } from '../ingest-event.ts';
import type { ParseContext } from '../parse-context.ts';
import { senderOffset } from '../parse-context.ts';
import { facilityCode } from './rfc3164.ts';
import type { SyslogMessage } from './syslog-message.ts';
import { FACILITY_NAMES, SEVERITY_NAMES } from './syslog-message.ts';

/** Turns a JSON object carried in a syslog message into events (json-record.ts). */
export type JsonPayloadHandler = (
  value: JsonObject,
  original: string,
  context: ParseContext,
) => IngestEvent[] | string;

export function syslogEvents(
  message: SyslogMessage,
  original: string,
  context: ParseContext,
  jsonPayload: JsonPayloadHandler,
): IngestEvent[] | string {
  const syslog = syslogEcs(message);
  const headerFields = {
    hostname: message.hostname,
    app_name: message.appName,
    proc_id: message.procId,
    msg_id: message.msgId,
    facility: syslog.facility?.name,
    severity: syslog.severity?.name,
    structured_data: message.structuredData,
  };
  const offset = senderOffset(context);
  const text = message.message;
  const host = syslogHost(message.hostname, context.sourceAddress);
  const logSource =
    context.sourceAddress === undefined ? undefined : { address: context.sourceAddress };

  const cefAt = findCef(text);
  if (cefAt >= 0) {
    const record = parseCef(text.slice(cefAt));
    if (typeof record === 'string') return record;
    const parts = cefEventParts(record, offset);
    return [
      buildEvent(
        {
          ...parts,
          timestamp: parts.timestamp ?? message.timestamp,
          host: { ...host, name: (parts.host as { name?: string } | undefined)?.name ?? host.name },
          event: { ...parts.event, original },
          log: { syslog, source: logSource },
        },
        context,
      ),
    ];
  }

  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const events = jsonPayload(value as JsonObject, trimmed, context);
        if (typeof events !== 'string') {
          return events.map((e) => ({
            ...e,
            host: e.host ?? host,
            log: { ...e.log, syslog, ...(logSource === undefined ? {} : { source: logSource }) },
            event: { ...e.event, original },
          }));
        }
      }
    } catch {
      // Not JSON after all: plain text below.
    }
  }

  const base = {
    timestamp: message.timestamp,
    message: text,
    host,
    process: { name: message.appName, pid: pid(message.procId) },
    log: { syslog, source: logSource },
  };
  if (isNetfilterLine(text)) {
    return [netfilterEvent(text, context, { ...base, event: { original }, fields: headerFields })];
  }
  if (isAuthProgram(message.appName)) {
    const facts = linuxAuthFacts(message.appName!, text);
    const source = { ip: facts.sourceIp, port: facts.sourcePort };
    const parts: EventParts = {
      ...base,
      event: {
        dataset: 'system.auth',
        module: 'system',
        action: facts.action,
        category: facts.category,
        type: facts.type,
        outcome: facts.outcome,
        original,
      },
      source,
      user: {
        name: facts.userName,
        target: facts.targetUserName === undefined ? undefined : { name: facts.targetUserName },
      },
      log_source: facts.logSource,
      fields: { ...headerFields, ...facts.fields },
    };
    return [buildEvent(parts, context)];
  }
  return [
    buildEvent(
      {
        ...base,
        event: { dataset: 'system.syslog', module: 'system', original },
        log_source: syslogLogSource(message),
        fields: headerFields,
      },
      context,
    ),
  ];
}

/** Plain syslog: `linux` unless the sender is recognisably a Cisco device. */
function syslogLogSource(message: SyslogMessage): LogSource {
  if (
    message.appName !== undefined &&
    /^[A-Z][A-Z0-9_]*-(?:[A-Z0-9_]+-)?[0-7]-/.test(message.appName)
  ) {
    return { product: 'cisco', service: 'syslog' };
  }
  return { product: 'linux', service: 'syslog' };
}

function syslogEcs(message: SyslogMessage): SyslogEcs {
  let facility: number | undefined;
  let severity: number | undefined;
  if (message.priority !== undefined) {
    facility = message.priority >> 3;
    severity = message.priority & 7;
  } else {
    facility = message.facilityName === undefined ? undefined : facilityCode(message.facilityName);
    const s =
      message.severityName === undefined
        ? -1
        : (SEVERITY_NAMES as readonly string[]).indexOf(message.severityName);
    severity = s < 0 ? undefined : s;
  }
  return {
    ...(message.priority === undefined ? {} : { priority: message.priority }),
    ...(facility === undefined
      ? {}
      : { facility: { code: facility, name: FACILITY_NAMES[facility] ?? String(facility) } }),
    ...(severity === undefined
      ? {}
      : { severity: { code: severity, name: SEVERITY_NAMES[severity] ?? String(severity) } }),
    ...(message.hostname === undefined ? {} : { hostname: message.hostname }),
    ...(message.appName === undefined ? {} : { appname: message.appName }),
    ...(message.procId === undefined ? {} : { procid: message.procId }),
    ...(message.msgId === undefined ? {} : { msgid: message.msgId }),
    ...(message.kind === 'rfc5424' ? { version: 1 } : {}),
    ...(message.structuredData === undefined ? {} : { structured_data: message.structuredData }),
  };
}

/**
 * The sending host: the header's HOSTNAME, which many devices fill with their address (then
 * it is `host.ip`); without one, the peer address is the sender's own (or its relay's).
 */
function syslogHost(
  hostname: string | undefined,
  peer: string | undefined,
): { name?: string; hostname?: string; ip?: string[] } {
  if (hostname !== undefined) {
    return /^\d{1,3}(?:\.\d{1,3}){3}$|^[0-9a-fA-F]*:[0-9a-fA-F:.]+$/.test(hostname)
      ? { ip: [hostname] }
      : { name: hostname, hostname };
  }
  return peer === undefined ? {} : { ip: [peer] };
}

function pid(procId: string | undefined): number | undefined {
  return procId !== undefined && /^\d{1,10}$/.test(procId) ? Number(procId) : undefined;
}
