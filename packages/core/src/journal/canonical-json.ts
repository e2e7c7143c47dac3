/**
 * The journal hashes with the one canonical JSON encoder, the one agent commands are signed
 * with (`@cordon/protocol`); this module only keeps the journal's import path. Two copies had
 * already drifted apart (depth limit 64 here, 32 there), and a hash an independent verifier
 * must reproduce cannot depend on which copy wrote it.
 */
export { CANONICAL_JSON_MAX_DEPTH, CanonicalJsonError, canonicalJson } from '@cordon/protocol';
