/**
 * The normalised event every parser produces: one JSON object with three parts that never
 * collide.
 *
 * - ECS fields at the top level, nested as ECS nests them (`@timestamp`, `event.outcome`,
 *   `source.ip`, `process.parent.executable` …). Storage indexes these; search and entity
 *   lookups read them.
 * - `fields`: the source's own fields under the names the source gave them, which is what Sigma
 *   rules are written against: flat Windows names (`EventID`, `Channel`, `Provider_Name`,
 *   `Image`, `CommandLine`), Zeek's dotted flat keys (`id.orig_h`), CloudTrail's nested record
 *   (`userIdentity.type`), Suricata's EVE objects, CEF extension keys, syslog header parts.
 *   They live in their own object because sources reuse ECS root names for other things (Zeek
 *   http's `host` is a string, EVE's `dns` is not ECS `dns`).
 * - `log_source`: SigmaHQ's logsource vocabulary (`product` / `service` / `category`), which
 *   selects the rules that apply.
 *
 * How a rule's field name is resolved is `eventField` (event-field.ts): the source's own name
 * first, then ECS by dotted path. Field-less Sigma keywords search `message` (the free text of
 * a log line), falling back to `event.original`.
 */

/** A JSON value as stored: events are plain data, serialisable as they are. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/** SigmaHQ logsource vocabulary (sigma-appendix-taxonomy.md). */
export interface LogSource {
  /** `linux`, `windows`, `zeek`, `aws`, `suricata`, `cisco` … */
  readonly product?: string;
  /** `sshd`, `sudo`, `auth`, `security`, `sysmon`, `cloudtrail`, `conn`, `dns`, `http` … */
  readonly service?: string;
  /** `process_creation`, `network_connection`, `dns`, `dns_query`, `firewall`, `file_event` … */
  readonly category?: string;
}

export type EventKind = 'event' | 'alert' | 'metric' | 'state' | 'pipeline_error';
export type EventOutcome = 'success' | 'failure' | 'unknown';

export interface EcsEvent {
  readonly kind: EventKind;
  readonly category?: readonly string[];
  readonly type?: readonly string[];
  readonly action?: string;
  readonly outcome?: EventOutcome;
  /** The source's own event identifier (Windows EventID, CEF signature id) as a string. */
  readonly code?: string;
  /** The source's unique id of this record (CloudTrail eventID, Zeek uid). */
  readonly id?: string;
  /** `<module>.<log>`: `system.auth`, `windows.security`, `zeek.conn`, `aws.cloudtrail` … */
  readonly dataset: string;
  readonly module?: string;
  readonly provider?: string;
  readonly severity?: number;
  /** The raw text of the record (syslog line, JSON text), when it is text. */
  readonly original?: string;
  /** When Cordon received the record (ISO 8601). */
  readonly ingested: string;
  readonly reason?: string;
  /** Nanoseconds (Zeek `duration`, a Suricata flow's age). */
  readonly duration?: number;
  readonly start?: string;
  readonly end?: string;
}

export interface EcsEndpoint {
  readonly ip?: string;
  readonly port?: number;
  readonly domain?: string;
  readonly bytes?: number;
  readonly packets?: number;
  readonly user?: EcsUser;
  readonly mac?: string;
}

export interface EcsUser {
  readonly name?: string;
  readonly domain?: string;
  readonly id?: string;
  readonly target?: EcsUser;
  readonly effective?: EcsUser;
}

export interface EcsProcess {
  readonly name?: string;
  readonly pid?: number;
  readonly executable?: string;
  readonly command_line?: string;
  readonly working_directory?: string;
  readonly parent?: EcsProcess;
  readonly hash?: Readonly<Record<string, string>>;
}

/**
 * One normalised event. ECS parts are optional except `@timestamp`, `event`, `fields` and
 * `log_source`; parsers fill what their source carries.
 */
export interface IngestEvent {
  readonly '@timestamp': string;
  readonly event: EcsEvent;
  readonly message?: string;
  readonly host?: {
    readonly name?: string;
    readonly hostname?: string;
    readonly ip?: readonly string[];
  };
  readonly source?: EcsEndpoint;
  readonly destination?: EcsEndpoint;
  readonly user?: EcsUser;
  readonly process?: EcsProcess;
  readonly network?: {
    readonly type?: string;
    readonly transport?: string;
    readonly protocol?: string;
    readonly direction?: string;
    readonly bytes?: number;
    readonly packets?: number;
    readonly community_id?: string;
  };
  readonly url?: {
    readonly original?: string;
    readonly domain?: string;
    readonly path?: string;
    readonly query?: string;
  };
  readonly http?: {
    readonly version?: string;
    readonly request?: {
      readonly method?: string;
      readonly referrer?: string;
      readonly body?: { readonly bytes?: number };
    };
    readonly response?: {
      readonly status_code?: number;
      readonly bytes?: number;
      readonly mime_type?: string;
    };
  };
  readonly user_agent?: { readonly original?: string };
  readonly dns?: {
    readonly id?: string;
    readonly question?: { readonly name?: string; readonly type?: string };
    readonly response_code?: string;
    readonly answers?: readonly { readonly data?: string; readonly type?: string }[];
    readonly resolved_ip?: readonly string[];
  };
  readonly file?: {
    readonly path?: string;
    readonly name?: string;
    readonly directory?: string;
    readonly extension?: string;
    readonly hash?: Readonly<Record<string, string>>;
  };
  readonly cloud?: {
    readonly provider?: string;
    readonly region?: string;
    readonly account?: { readonly id?: string };
    readonly service?: { readonly name?: string };
  };
  readonly tls?: {
    readonly version?: string;
    readonly version_protocol?: string;
    readonly cipher?: string;
    readonly curve?: string;
    readonly established?: boolean;
    readonly resumed?: boolean;
    readonly next_protocol?: string;
    readonly client?: { readonly server_name?: string; readonly ja3?: string };
    readonly server?: {
      readonly ja3s?: string;
      readonly subject?: string;
      readonly issuer?: string;
    };
  };
  readonly rule?: {
    readonly id?: string;
    readonly name?: string;
    readonly category?: string;
    readonly description?: string;
  };
  /** ATT&CK techniques a source's own alert names (Suricata rule metadata). */
  readonly threat?: { readonly technique?: { readonly id?: readonly string[] } };
  readonly observer?: {
    readonly vendor?: string;
    readonly product?: string;
    readonly version?: string;
    readonly hostname?: string;
    readonly ip?: readonly string[];
    readonly type?: string;
    readonly ingress?: { readonly interface?: { readonly name?: string } };
    readonly egress?: { readonly interface?: { readonly name?: string } };
  };
  readonly log?: {
    readonly level?: string;
    readonly syslog?: SyslogEcs;
    /** The peer that sent the record to the listener (a syslog sender or relay). */
    readonly source?: { readonly address?: string };
  };
  /** Every IP, user and host name the event mentions (ECS `related.*`), for pivots. */
  readonly related?: {
    readonly ip?: readonly string[];
    readonly user?: readonly string[];
    readonly hosts?: readonly string[];
  };
  readonly tags?: readonly string[];
  readonly log_source: LogSource;
  /** The source's own fields, under the source's own names (see the module comment). */
  readonly fields: JsonObject;
}

export interface SyslogEcs {
  readonly priority?: number;
  readonly facility?: { readonly code: number; readonly name: string };
  readonly severity?: { readonly code: number; readonly name: string };
  readonly hostname?: string;
  readonly appname?: string;
  readonly procid?: string;
  readonly msgid?: string;
  readonly version?: number;
  readonly structured_data?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}
