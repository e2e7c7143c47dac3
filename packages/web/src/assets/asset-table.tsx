/**
 * The inventory's rows, virtualised (TanStack Virtual): an MSSP tenant may document thousands
 * of assets and only the rows on screen are rendered; as the last loaded rows come into view
 * the screen is asked for the next page. The name is a link to the asset's page.
 */
import { Anchor, Box, ScrollArea, Table, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ReactNode } from 'react';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { LevelBadge } from '../shared/level-badge.tsx';
import type { Asset } from './use-assets.ts';

const ROW_HEIGHT = 42;
/** Ask for the next page this many rows before the loaded ones run out. */
const PREFETCH_ROWS = 40;

export interface AssetRow {
  readonly asset: Asset;
  readonly segment: string;
  readonly functions: string;
}

const COLUMNS = [
  ['Name', 190],
  ['Kind', 100],
  ['Criticality', 100],
  ['Owner', 130],
  ['Segment', 130],
  ['Business functions', 190],
  ['Agent', 70],
  ['Status', 90],
] as const;

function Cell({ children }: { readonly children: ReactNode }) {
  return (
    <Table.Td>
      <Box style={{ overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' }}>
        {children}
      </Box>
    </Table.Td>
  );
}

export interface AssetTableProps {
  readonly tenantId: string;
  readonly rows: readonly AssetRow[];
  /** Matching assets on the server (counted up to a bound), loaded or not. */
  readonly total: number;
  readonly onNearEnd: () => void;
}

export function AssetTable({ tenantId, rows, total, onNearEnd }: AssetTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 16,
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  const lastShown = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (rows.length > 0 && lastShown >= rows.length - PREFETCH_ROWS) onNearEnd();
  }, [lastShown, rows.length, onNearEnd]);

  return (
    <ScrollArea.Autosize mah="calc(100vh - 240px)" viewportRef={scroller} type="auto">
      <Table
        stickyHeader
        highlightOnHover
        aria-label="Assets"
        aria-rowcount={Math.max(total, rows.length) + 1}
        style={{ tableLayout: 'fixed' }}
      >
        <Table.Thead>
          <Table.Tr>
            {COLUMNS.map(([label, width]) => (
              <Table.Th key={label} scope="col" style={{ width }}>
                {label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {padTop > 0 && (
            <Table.Tr aria-hidden>
              <Table.Td colSpan={COLUMNS.length} style={{ height: padTop, padding: 0 }} />
            </Table.Tr>
          )}
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            const { asset } = row;
            return (
              <Table.Tr
                key={asset.id}
                aria-rowindex={item.index + 2}
                style={{ height: ROW_HEIGHT }}
              >
                <Cell>
                  <Anchor component={Link} to={`/t/${tenantId}/assets/${asset.id}`} size="sm">
                    {asset.name}
                  </Anchor>
                </Cell>
                <Cell>{asset.kind}</Cell>
                <Cell>
                  <LevelBadge level={asset.criticality} />
                </Cell>
                <Cell>{asset.owner ?? '—'}</Cell>
                <Cell>{row.segment}</Cell>
                <Cell>
                  <Text size="sm" span title={row.functions}>
                    {row.functions || '—'}
                  </Text>
                </Cell>
                <Cell>{asset.agentInstalled ? 'yes' : 'no'}</Cell>
                <Cell>{asset.retiredAt ? 'retired' : asset.operationalStatus}</Cell>
              </Table.Tr>
            );
          })}
          {padBottom > 0 && (
            <Table.Tr aria-hidden>
              <Table.Td colSpan={COLUMNS.length} style={{ height: padBottom, padding: 0 }} />
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}
