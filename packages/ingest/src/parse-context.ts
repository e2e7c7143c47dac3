import type { UtcOffset } from './time/utc-offset.ts';
import { timeZoneOffset } from './time/utc-offset.ts';
import type { ZeekTsvHeader } from './formats/zeek-tsv.ts';

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
  /**
   * IANA zone (`Europe/Berlin`) of senders whose times carry no zone (RFC 3164, CEF `rt`,
   * NXLog `EventTime`); daylight saving time is applied. Wins over `timeZoneOffsetMinutes`.
   * An unknown name falls back to that offset: validate it with `isValidTimeZone`.
   */
  readonly timeZone?: string;
  /** Fixed UTC offset (minutes east) for zone-less times when no `timeZone`. Default 0. */
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
  /**
   * The header of the Zeek TSV log the record is a data line of; `LogLineReader` keeps it
   * while it reads a file's lines.
   */
  readonly zeekHeader?: ZeekTsvHeader;
}

export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

/** The sender offset a context implies for zone-less times. */
export function senderOffset(context: ParseContext): UtcOffset {
  const zone = context.defaults?.timeZone;
  const resolver = zone === undefined ? undefined : timeZoneOffset(zone);
  return resolver ?? context.defaults?.timeZoneOffsetMinutes ?? 0;
}
