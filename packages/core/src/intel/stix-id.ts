/**
 * Deterministic STIX identifiers (UUIDv5, RFC 9562). Cyber-observable objects use the
 * namespace and ID-contributing properties STIX 2.1 §2.9 prescribes, so another producer
 * naming the same address gets the same id; Cordon's own objects use Cordon's namespace over
 * the tenant and the record's identity, so exporting the same incident twice gives the same ids.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../journal/canonical-json.ts';

/** STIX 2.1 §2.9: the namespace of SCO identifiers. */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** Cordon's namespace for the SDOs and SROs it exports. */
export const CORDON_STIX_NAMESPACE = '6f0c1c2e-5d8e-5b6a-9a43-7c0f2d3e4b51';

export function uuidV5(namespace: string, name: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `type--uuid` of an SCO from its ID-contributing properties. */
export function scoId(type: string, contributing: Record<string, unknown>): string {
  return `${type}--${uuidV5(STIX_SCO_NAMESPACE, canonicalJson(contributing))}`;
}

/** `type--uuid` of an object Cordon makes, from what identifies it. */
export function cordonStixId(type: string, ...identity: readonly string[]): string {
  return `${type}--${uuidV5(CORDON_STIX_NAMESPACE, [type, ...identity].join('\u0000'))}`;
}
