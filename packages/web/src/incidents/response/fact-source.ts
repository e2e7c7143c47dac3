/** Where an identification fact came from, in words (the rule, the inventory, the catalogue …). */
import type { FactSource } from './response-types.ts';

export function describeSource(source: FactSource): string {
  switch (source.kind) {
    case 'rule':
      return `rule ${source.ruleId ?? '?'}${source.value ? ` (tag ${source.value})` : ''}`;
    case 'inventory':
      return `inventory${source.matchedBy ? `, matched by ${source.matchedBy}` : ''}${source.value ? ` ${source.value}` : ''}`;
    case 'catalogue':
      return `ATT&CK catalogue${source.version ? ` v${source.version}` : ''}`;
    case 'network':
      return source.range ? `network range ${source.range}` : 'network classification';
    case 'geo':
      return `geo database${source.database ? ` ${source.database}` : ''}`;
    case 'mapping':
      return `category mapping${source.basis ? `: ${source.basis}` : ''}`;
    case 'analyst':
      return `corrected by ${source.actor ?? 'an analyst'}${source.reason ? `: ${source.reason}` : ''}`;
  }
}

export function describeSources(sources: readonly FactSource[]): string {
  return sources.length === 0 ? '—' : sources.map(describeSource).join('; ');
}
