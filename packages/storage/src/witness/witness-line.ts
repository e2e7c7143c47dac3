/**
 * One line of the journal witness: a signed, chained checkpoint as JSON. Parsing is strict
 * (the file may have been edited by the very person the witness is meant to catch): every
 * field present with its type, nothing else trusted; the signature is checked by the verifier.
 */
import type { JournalCheckpoint } from '@cordon/core';

const HEX64 = /^[0-9a-f]{64}$/;
const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function witnessLine(checkpoint: JournalCheckpoint): string {
  const { chain } = checkpoint;
  if (!chain) throw new TypeError('only chained checkpoints are witnessed');
  return `${JSON.stringify({
    v: 2,
    tenantId: checkpoint.tenantId,
    number: chain.number,
    seq: checkpoint.seq,
    hash: checkpoint.hash,
    entries: chain.entries,
    at: checkpoint.at,
    prevHash: chain.prevHash,
    keyId: checkpoint.keyId,
    signature: checkpoint.signature,
  })}\n`;
}

/** The checkpoint on `text` (one line, without its newline), or why it is not one. */
export function parseWitnessLine(text: string): JournalCheckpoint | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const r = value as Record<string, unknown>;
  if (r['v'] !== 2) return 'unknown version';
  const { tenantId, number, seq, hash, entries, at, prevHash, keyId, signature } = r;
  if (typeof tenantId !== 'string' || typeof keyId !== 'string' || typeof signature !== 'string')
    return 'tenantId, keyId and signature must be strings';
  if (!isCount(number) || number < 1 || !isCount(seq) || !isCount(entries) || !isCount(at))
    return 'number, seq, entries and at must be whole numbers';
  if (typeof hash !== 'string' || !HEX64.test(hash)) return 'hash must be 64 hex digits';
  if (typeof prevHash !== 'string' || !HEX64.test(prevHash))
    return 'prevHash must be 64 hex digits';
  return { tenantId, seq, hash, at, keyId, signature, chain: { number, entries, prevHash } };
}
