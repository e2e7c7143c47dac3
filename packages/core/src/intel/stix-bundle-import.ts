/**
 * Reads the indicators of a STIX 2.1 bundle for a watchlist: each `indicator` object whose
 * `pattern_type` is `stix` and whose pattern `readStixPattern` can match value by value gives
 * its values, expiring at its `valid_until`. Revoked indicators, other pattern languages and
 * patterns beyond that subset are reported with the indicator's id; other object types are
 * skipped (a bundle carries identities, relationships, reports around its indicators).
 */
import { CordonError, invalidInput } from '../errors/cordon-error.ts';
import type { ImportedIndicator, IndicatorImport, RejectedIndicator } from './indicator-import.ts';
import { MAX_REPORTED_REJECTIONS, indicatorLimitError } from './indicator-import.ts';
import { readStixPattern } from './stix-pattern.ts';

/** Objects a bundle may carry (indicators and everything else together). */
export const MAX_STIX_OBJECTS = 250_000;

export function parseStixBundle(text: string, maxIndicators: number): IndicatorImport {
  let bundle: unknown;
  try {
    bundle = JSON.parse(text);
  } catch (error) {
    throw new CordonError('invalid_input', 'the STIX bundle is not valid JSON', { cause: error });
  }
  if (!isObject(bundle) || bundle['type'] !== 'bundle' || !Array.isArray(bundle['objects']))
    throw invalidInput('expected a STIX 2.1 bundle: {"type": "bundle", "objects": […]}');
  const objects = bundle['objects'] as unknown[];
  if (objects.length > MAX_STIX_OBJECTS)
    throw new CordonError(
      'payload_too_large',
      `the bundle holds ${objects.length} objects; at most ${MAX_STIX_OBJECTS} are read`,
      { details: { objects: objects.length, maxObjects: MAX_STIX_OBJECTS } },
    );
  const indicators = new Map<string, ImportedIndicator>();
  const rejected: RejectedIndicator[] = [];
  let rejectedCount = 0;
  const reject = (where: string, value: string, reason: string): void => {
    rejectedCount++;
    if (rejected.length < MAX_REPORTED_REJECTIONS)
      rejected.push({ where: where.slice(0, 200), value: value.slice(0, 200), reason });
  };
  for (const [index, object] of objects.entries()) {
    if (!isObject(object) || object['type'] !== 'indicator') continue;
    const id = typeof object['id'] === 'string' ? object['id'] : `objects[${index}]`;
    const pattern = object['pattern'];
    if (typeof pattern !== 'string') {
      reject(id, '', 'indicator without a pattern');
      continue;
    }
    if (object['pattern_type'] !== 'stix') {
      reject(
        id,
        pattern,
        `pattern_type ${String(object['pattern_type']).slice(0, 40)} is not matched (only stix)`,
      );
      continue;
    }
    if (object['revoked'] === true) {
      reject(id, pattern, 'the indicator is revoked');
      continue;
    }
    const validUntil = timestamp(object['valid_until']);
    if (validUntil === 'invalid') {
      reject(id, pattern, 'valid_until is not a timestamp');
      continue;
    }
    const reading = readStixPattern(pattern);
    if (reading.kind === 'unsupported') {
      reject(id, pattern, reading.reason);
      continue;
    }
    for (const value of reading.indicators) {
      indicators.set(`${value.kind}\u0000${value.value}`, { ...value, validUntil, reference: id });
      if (indicators.size > maxIndicators) throw indicatorLimitError(maxIndicators);
    }
  }
  return { indicators: [...indicators.values()], rejected, rejectedCount };
}

function timestamp(value: unknown): number | null | 'invalid' {
  if (value === undefined) return null;
  if (typeof value !== 'string') return 'invalid';
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : 'invalid';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
