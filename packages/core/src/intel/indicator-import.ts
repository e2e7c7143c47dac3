/**
 * What an import (a STIX bundle or an IOC list) yields before it is stored: the indicators it
 * holds, and what it could not use, each with where it was and why, so that the person who
 * imported it can see what was left out.
 */
import { CordonError } from '../errors/cordon-error.ts';
import type { IndicatorValue } from './indicator.ts';

/** Rejections listed one by one in an import's answer; the rest are only counted. */
export const MAX_REPORTED_REJECTIONS = 100;

export interface ImportedIndicator extends IndicatorValue {
  /** Epoch ms after which this indicator no longer matches (a STIX `valid_until`), or null. */
  readonly validUntil: number | null;
  /** Where it came from inside the import (a STIX indicator id), or null. */
  readonly reference: string | null;
}

export interface RejectedIndicator {
  /** `line 12`, or the STIX object id. */
  readonly where: string;
  readonly value: string;
  readonly reason: string;
}

export interface IndicatorImport {
  readonly indicators: readonly ImportedIndicator[];
  /** The first `MAX_REPORTED_REJECTIONS` rejections. */
  readonly rejected: readonly RejectedIndicator[];
  readonly rejectedCount: number;
}

export function indicatorLimitError(max: number): CordonError {
  return new CordonError(
    'payload_too_large',
    `a watchlist holds at most ${max} indicators; split the list`,
    { details: { maxIndicators: max } },
  );
}
