/**
 * The search queries of a re-hunt: one per observable, over the ECS fields (and the original
 * Sysmon ones) where its kind of value appears. Values are quoted, so an attacker-chosen value
 * cannot change the query; hashes are hex or refused.
 */
import type { ObservableKind } from '../incidents/incident-records.ts';

export interface HuntTerm {
  readonly kind: ObservableKind;
  readonly value: string;
}

const quoted = (value: string): string =>
  `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\*/g, '\\*').replace(/\?/g, '\\?')}"`;

const any = (fields: readonly string[], value: string): string =>
  fields.map((f) => `${f}:${quoted(value)}`).join(' or ');

const HASH = /^[0-9a-fA-F]{32,128}$/;

/** The query text for one term, or undefined when the value cannot be searched safely. */
export function huntQuery(term: HuntTerm): string | undefined {
  const value = term.value.trim();
  if (value === '' || value.length > 2048) return undefined;
  switch (term.kind) {
    case 'ip':
      return any(['source.ip', 'destination.ip', 'related.ip'], value);
    case 'domain':
      return any(
        ['related.hosts', 'destination.domain', 'source.domain', 'dns.question.name', 'url.domain'],
        value,
      );
    case 'url':
      return any(['url.full', 'url.original'], value);
    case 'user':
      return any(['user.name', 'related.user', 'TargetUserName'], value);
    case 'host':
      return any(['host.name', 'related.hosts'], value);
    case 'file_hash': {
      if (!HASH.test(value)) return undefined;
      const lower = value.toLowerCase();
      const fields = ['file.hash', 'process.hash'].flatMap((p) =>
        ['md5', 'sha1', 'sha256', 'sha512'].map((h) => `${p}.${h}`),
      );
      // Sysmon keeps every hash in one `Hashes` field: `SHA256=…,MD5=…`.
      return `${any(fields, lower)} or Hashes:*${lower}* or Hashes:*${value.toUpperCase()}*`;
    }
  }
}
