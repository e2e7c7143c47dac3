/**
 * ECS facts for a Windows event, read from its flat view. The tables cover the Security and
 * Sysmon events a SOC triages first; any other event still gets host, code, provider and the
 * SigmaHQ log source. For Security 4688 the Sysmon names `Image` and `ParentImage` are added
 * beside `NewProcessName` / `ParentProcessName`, and the log source category
 * `process_creation` is set, so SigmaHQ's process-creation rules also run on 4688 (as
 * SigmaHQ's own Windows pipelines do).
 */
import type { EventParts } from '../event-builder.ts';
import type { EventOutcome, JsonValue, LogSource } from '../ingest-event.ts';

interface SecurityFacts {
  readonly action: string;
  readonly category: readonly string[];
  readonly type: readonly string[];
  readonly outcome?: EventOutcome;
}

const SECURITY: Readonly<Record<number, SecurityFacts>> = {
  4624: { action: 'logged-in', category: ['authentication'], type: ['start'], outcome: 'success' },
  4625: {
    action: 'logon-failed',
    category: ['authentication'],
    type: ['start'],
    outcome: 'failure',
  },
  4634: { action: 'logged-out', category: ['authentication'], type: ['end'], outcome: 'success' },
  4647: { action: 'logged-out', category: ['authentication'], type: ['end'], outcome: 'success' },
  4648: {
    action: 'logged-in-explicit',
    category: ['authentication'],
    type: ['start'],
    outcome: 'success',
  },
  4672: { action: 'logged-in-special', category: ['iam'], type: ['admin'], outcome: 'success' },
  4688: { action: 'created-process', category: ['process'], type: ['start'], outcome: 'success' },
  4689: { action: 'exited-process', category: ['process'], type: ['end'], outcome: 'success' },
  4720: {
    action: 'added-user-account',
    category: ['iam'],
    type: ['user', 'creation'],
    outcome: 'success',
  },
  4722: {
    action: 'enabled-user-account',
    category: ['iam'],
    type: ['user', 'change'],
    outcome: 'success',
  },
  4724: {
    action: 'reset-password',
    category: ['iam'],
    type: ['user', 'change'],
    outcome: 'success',
  },
  4725: {
    action: 'disabled-user-account',
    category: ['iam'],
    type: ['user', 'change'],
    outcome: 'success',
  },
  4726: {
    action: 'deleted-user-account',
    category: ['iam'],
    type: ['user', 'deletion'],
    outcome: 'success',
  },
  4728: {
    action: 'added-member-to-group',
    category: ['iam'],
    type: ['group', 'change'],
    outcome: 'success',
  },
  4732: {
    action: 'added-member-to-group',
    category: ['iam'],
    type: ['group', 'change'],
    outcome: 'success',
  },
  4740: {
    action: 'locked-out-user-account',
    category: ['iam'],
    type: ['user', 'change'],
    outcome: 'success',
  },
  4756: {
    action: 'added-member-to-group',
    category: ['iam'],
    type: ['group', 'change'],
    outcome: 'success',
  },
  4768: {
    action: 'kerberos-authentication-ticket-requested',
    category: ['authentication'],
    type: ['start'],
  },
  4769: {
    action: 'kerberos-service-ticket-requested',
    category: ['authentication'],
    type: ['start'],
  },
  4776: { action: 'credential-validated', category: ['authentication'], type: ['start'] },
  1102: { action: 'audit-log-cleared', category: ['iam'], type: ['change'], outcome: 'success' },
};

/** Sysmon event id → SigmaHQ category (sigma-appendix-taxonomy.md). */
const SYSMON_CATEGORY: Readonly<Record<number, string>> = {
  1: 'process_creation',
  2: 'file_change',
  3: 'network_connection',
  5: 'process_termination',
  6: 'driver_load',
  7: 'image_load',
  8: 'create_remote_thread',
  9: 'raw_access_thread',
  10: 'process_access',
  11: 'file_event',
  12: 'registry_add',
  13: 'registry_set',
  14: 'registry_rename',
  15: 'create_stream_hash',
  17: 'pipe_created',
  18: 'pipe_created',
  19: 'wmi_event',
  20: 'wmi_event',
  21: 'wmi_event',
  22: 'dns_query',
  23: 'file_delete',
  24: 'clipboard_capture',
  25: 'process_tampering',
  26: 'file_delete_detected',
};

const CHANNEL_SERVICE: Readonly<Record<string, string>> = {
  security: 'security',
  system: 'system',
  application: 'application',
  'microsoft-windows-sysmon/operational': 'sysmon',
  'microsoft-windows-powershell/operational': 'powershell',
  'windows powershell': 'powershell-classic',
  'microsoft-windows-windows defender/operational': 'windefend',
  'microsoft-windows-taskscheduler/operational': 'taskscheduler',
  'microsoft-windows-terminalservices-localsessionmanager/operational':
    'terminalservices-localsessionmanager',
  'microsoft-windows-bits-client/operational': 'bits-client',
};

export type WindowsEcs = Omit<EventParts, 'timestamp' | 'fields'>;

export function windowsEcs(flat: Record<string, JsonValue>): WindowsEcs {
  const eventId = typeof flat.EventID === 'number' ? flat.EventID : Number(str(flat.EventID));
  const channel = str(flat.Channel) ?? '';
  const service = CHANNEL_SERVICE[channel.toLowerCase()];
  const isSysmon = service === 'sysmon';
  const isSecurity = service === 'security';
  const logSource: LogSource = {
    product: 'windows',
    ...(service === undefined ? {} : { service }),
    ...(isSysmon && SYSMON_CATEGORY[eventId] !== undefined
      ? { category: SYSMON_CATEGORY[eventId] }
      : {}),
    ...(isSecurity && eventId === 4688 ? { category: 'process_creation' } : {}),
  };
  const base: WindowsEcs = {
    event: {
      dataset: `windows.${service ?? 'eventlog'}`,
      module: 'windows',
      code: Number.isFinite(eventId) ? String(eventId) : undefined,
      provider: str(flat.Provider_Name),
    },
    host: { name: str(flat.Computer) },
    log_source: logSource,
  };
  if (isSecurity) return { ...base, ...security(eventId, flat, base) };
  if (isSysmon) return { ...base, ...sysmon(eventId, flat, base) };
  // Other channels name the remote address their own way (RdpCoreTS 140: `IPString`;
  // TerminalServices 21/25: `Address`).
  const remote = str(flat.IPString ?? flat.ClientAddress ?? flat.Address ?? flat.IpAddress);
  if (remote !== undefined && /^[\d.]+$|^[0-9a-f:]+:[0-9a-f:.]*$/i.test(remote)) {
    return { ...base, source: { ip: remote.replace(/^::ffff:/, '') } };
  }
  return base;
}

function security(id: number, f: Record<string, JsonValue>, base: WindowsEcs): Partial<WindowsEcs> {
  const facts = SECURITY[id];
  const event = { ...base.event, ...(facts ?? {}) };
  const subject = user(f.SubjectUserName, f.SubjectDomainName, f.SubjectUserSid);
  const target = user(f.TargetUserName, f.TargetDomainName, f.TargetUserSid ?? f.TargetSid);
  const ip = str(f.IpAddress);
  const source = {
    ip:
      ip !== undefined && ip !== '-' && ip !== '::1' && ip !== '127.0.0.1'
        ? ip.replace(/^::ffff:/, '')
        : undefined,
    port: port(f.IpPort),
    domain: dash(str(f.WorkstationName)),
  };
  switch (id) {
    case 4624:
    case 4625:
    case 4634:
    case 4647:
    case 4648:
    case 4768:
    case 4769:
    case 4776:
      return {
        event,
        user: target ?? subject,
        source,
        // `0x0` / `-`: no process (network logons).
        process: { executable: dash(str(f.ProcessName)), pid: hex(f.ProcessId) || undefined },
      };
    case 4688:
      return {
        event,
        user: subject,
        process: {
          executable: str(f.NewProcessName),
          name: baseName(str(f.NewProcessName)),
          pid: hex(f.NewProcessId),
          command_line: str(f.CommandLine),
          parent: {
            executable: str(f.ParentProcessName),
            name: baseName(str(f.ParentProcessName)),
            pid: hex(f.ProcessId),
          },
        },
      };
    default:
      return { event, user: subject === undefined ? target : { ...subject, target } };
  }
}

function sysmon(id: number, f: Record<string, JsonValue>, base: WindowsEcs): Partial<WindowsEcs> {
  const process = {
    executable: str(f.Image),
    name: baseName(str(f.Image)),
    pid: int(f.ProcessId),
    command_line: str(f.CommandLine),
    working_directory: str(f.CurrentDirectory),
    parent:
      f.ParentImage === undefined
        ? undefined
        : {
            executable: str(f.ParentImage),
            name: baseName(str(f.ParentImage)),
            pid: int(f.ParentProcessId),
            command_line: str(f.ParentCommandLine),
          },
  };
  const account = sysmonUser(str(f.User));
  switch (id) {
    case 1:
      return {
        event: { ...base.event, action: 'process-created', category: ['process'], type: ['start'] },
        process,
        user: account,
      };
    case 3: {
      const initiated = str(f.Initiated) === 'true' || f.Initiated === true;
      return {
        event: {
          ...base.event,
          action: 'network-connection',
          category: ['network'],
          type: ['connection', 'start'],
        },
        process,
        user: account,
        source: { ip: str(f.SourceIp), port: port(f.SourcePort), domain: str(f.SourceHostname) },
        destination: {
          ip: str(f.DestinationIp),
          port: port(f.DestinationPort),
          domain: str(f.DestinationHostname),
        },
        network: {
          transport: str(f.Protocol)?.toLowerCase(),
          direction: initiated ? 'egress' : 'ingress',
        },
      };
    }
    case 11: {
      const path = str(f.TargetFilename);
      return {
        event: { ...base.event, action: 'file-created', category: ['file'], type: ['creation'] },
        process,
        user: account,
        file: filePart(path),
      };
    }
    case 22:
      return {
        event: {
          ...base.event,
          action: 'dns-query',
          category: ['network'],
          type: ['protocol', 'info'],
        },
        process,
        user: account,
        dns: {
          question: { name: str(f.QueryName) },
          resolved_ip: (str(f.QueryResults) ?? '')
            .split(';')
            .map((s) => s.replace(/^::ffff:/, '').trim())
            .filter((s) => /^[\d.]+$|^[0-9a-f:]+$/i.test(s) && s.length > 1),
        },
      };
    default:
      return { process, user: account };
  }
}

export function filePart(path: string | undefined): WindowsEcs['file'] {
  if (path === undefined) return undefined;
  const name = baseName(path);
  const dot = name?.lastIndexOf('.') ?? -1;
  return {
    path,
    name,
    directory: path.slice(0, Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'))) || undefined,
    extension: name !== undefined && dot > 0 ? name.slice(dot + 1).toLowerCase() : undefined,
  };
}

function user(
  name: JsonValue | undefined,
  domain: JsonValue | undefined,
  sid: JsonValue | undefined,
) {
  const n = dash(str(name));
  if (n === undefined) return undefined;
  return { name: n, domain: dash(str(domain)), id: dash(str(sid)) };
}

/** Sysmon `User` is `DOMAIN\name`. */
function sysmonUser(text: string | undefined) {
  if (text === undefined) return undefined;
  const slash = text.indexOf('\\');
  return slash < 0 ? { name: text } : { name: text.slice(slash + 1), domain: text.slice(0, slash) };
}

function str(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function dash(value: string | undefined): string | undefined {
  return value === '-' || value === '' ? undefined : value;
}

function baseName(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return path.slice(cut + 1) || undefined;
}

function int(value: JsonValue | undefined): number | undefined {
  const text = str(value);
  return text !== undefined && /^\d{1,10}$/.test(text) ? Number(text) : hex(value);
}

/** Security events write process ids in hex (`0x1a2c`). */
function hex(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  const text = str(value);
  if (text === undefined) return undefined;
  if (/^0x[0-9a-f]{1,8}$/i.test(text)) return parseInt(text.slice(2), 16);
  return /^\d{1,10}$/.test(text) ? Number(text) : undefined;
}

function port(value: JsonValue | undefined): number | undefined {
  const n = typeof value === 'number' ? value : Number(str(value));
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
}
