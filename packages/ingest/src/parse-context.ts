/**
 * What the caller knows about a record that the record may not say itself: when and from
 * where it arrived, which format the listener expects, and the tenant's defaults.
 */

/** Formats a caller may name; `auto` detects from the record (detect-format.ts). */
export type IngestFormat =
  'auto' | 'syslog' | 'cef' | 'json' | 'windows' | 'zeek' | 'suricata' | 'cloudtrail';

export const INGEST_FORMATS: readonly IngestFormat[] = [
  'auto',
  'syslog',
  'cef',
  'json',
  'windows',
  'zeek',
  'suricata',
  'cloudtrail',
];

export interface TenantDefaults {
  /** UTC offset (minutes east) of senders whose times carry no zone (RFC 3164). Default 0. */
  readonly timeZoneOffsetMinutes?: number;
  /** `host.name` for events that name no host (e.g. a single-host file upload). */
  readonly hostName?: string;
}

export interface ParseContext {
  readonly receivedAt: Date;
  /** The peer address of the listener connection, kept as `observer`-side fact. */
  readonly sourceAddress?: string;
  readonly hint?: IngestFormat;
  readonly defaults?: TenantDefaults;
  /** Larger records are refused (`too_large`). Default 1 MiB. */
  readonly maxBytes?: number;
}

export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
