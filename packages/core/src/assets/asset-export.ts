/**
 * Writing the inventory back out in the import's own format, so that an export imported again
 * changes nothing. CSV cells are quoted and neutralised against spreadsheet formulas by
 * `csvCell` (the import undoes the neutralisation).
 */
import { csvCell } from '../csv/csv-cell.ts';
import type { Asset, NetworkSegment } from './asset.ts';
import { ASSET_COLUMNS } from './asset-import.ts';

type Column = (typeof ASSET_COLUMNS)[number];

function exportRecord(
  asset: Asset,
  segments: ReadonlyMap<string, NetworkSegment>,
): Record<Column, string | string[] | boolean> {
  return {
    name: asset.name,
    kind: asset.kind,
    addresses: [...asset.addresses],
    mac: asset.mac ?? '',
    os: asset.os ?? '',
    owner: asset.owner ?? '',
    location: asset.location ?? '',
    criticality: asset.criticality,
    tags: [...asset.tags],
    segment: asset.segmentId ? (segments.get(asset.segmentId)?.name ?? '') : '',
    redundancy_group: asset.redundancyGroup ?? '',
    agent: asset.agentInstalled,
    status: asset.operationalStatus,
  };
}

export function assetsToJson(
  assets: readonly Asset[],
  segments: readonly NetworkSegment[],
): string {
  const byId = new Map(segments.map((s) => [s.id, s]));
  return JSON.stringify(
    assets.map((a) => exportRecord(a, byId)),
    null,
    2,
  );
}

export function assetsToCsv(assets: readonly Asset[], segments: readonly NetworkSegment[]): string {
  const byId = new Map(segments.map((s) => [s.id, s]));
  const lines = [ASSET_COLUMNS.join(',')];
  for (const asset of assets) {
    const record = exportRecord(asset, byId);
    lines.push(
      ASSET_COLUMNS.map((c) => {
        const v = record[c];
        return csvCell(
          Array.isArray(v) ? v.join(';') : typeof v === 'boolean' ? (v ? 'yes' : 'no') : v,
        );
      }).join(','),
    );
  }
  return lines.join('\n') + '\n';
}
