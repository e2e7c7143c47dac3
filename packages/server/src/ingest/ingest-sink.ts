/**
 * What the pipeline needs from the event store (`EventStore` of `@cordon/core`, which
 * satisfies this structurally): an idempotent batch append (a batch id seen before is reported
 * as `duplicate` and not written again) that stores the batch's dead letters in the same
 * transaction.
 */
import type { EventProvenance } from '@cordon/core';
import type { IngestFormat } from '@cordon/ingest';

export interface AppendResult {
  readonly duplicate: boolean;
  readonly ids: readonly string[];
}

export interface SinkDeadLetter {
  /** Where it came from, with what replay needs (dead-letter-source.ts). */
  readonly source: string;
  readonly reason: string;
  readonly code: string;
  readonly raw: Uint8Array;
  readonly receivedAt: number;
}

export interface IngestSink {
  appendBatch(
    tenantId: string,
    batch: {
      readonly batchId: string;
      readonly events: readonly Readonly<Record<string, unknown>>[];
      /** Parallel to `events`. */
      readonly provenance?: readonly EventProvenance[];
      readonly deadLetters?: readonly SinkDeadLetter[];
    },
  ): Promise<AppendResult>;
}

/** Where a record came from, kept with its dead letter. */
export interface RecordOrigin {
  readonly source: string;
  /** The format the source asked for; replay parses with the same hint. */
  readonly hint: IngestFormat;
  readonly sourceAddress?: string;
}

/**
 * Why a record gave no events: a `ParseFailure` of `@cordon/ingest`, or a failure of the
 * transport around it (`truncated_gzip`, `invalid_json_body`, `frame_too_large` …).
 */
export interface RecordFailure {
  readonly code: string;
  readonly reason: string;
  readonly raw: Uint8Array;
  readonly receivedAt: string;
  readonly sourceAddress?: string;
}
