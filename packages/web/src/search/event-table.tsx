/**
 * The events of one page as rows: time, then one column per chosen field. TanStack Virtual
 * renders only the rows on screen, so a page of hundreds of wide events stays quick; the
 * time cell is a button (Enter opens the event in the drawer).
 */
import { Box, ScrollArea, Table, Text, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';
import type { EventRecord } from '../api/api-types.ts';
import { fieldValue } from './event-fields.ts';

const ROW_HEIGHT = 38;

interface Row {
  readonly id: string;
  readonly time: string;
  readonly cells: readonly string[];
}

export function EventTable({
  events,
  columns,
  onOpen,
}: {
  readonly events: readonly EventRecord[];
  readonly columns: readonly string[];
  readonly onOpen: (eventId: string) => void;
}) {
  const rows = useMemo<Row[]>(
    () =>
      events.map((e) => ({
        id: e.id,
        time: new Date(e.timestamp).toLocaleString(undefined, {
          dateStyle: 'short',
          timeStyle: 'medium',
        }),
        cells: columns.map((c) => fieldValue(e.event, c).slice(0, 500)),
      })),
    [events, columns],
  );
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
  const width = columns.length + 1;

  return (
    <ScrollArea.Autosize mah="calc(100vh - 380px)" viewportRef={scroller} type="auto">
      <Table
        stickyHeader
        highlightOnHover
        aria-label="Events"
        aria-rowcount={rows.length + 1}
        style={{ tableLayout: 'fixed' }}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" style={{ width: 180 }}>
              Time
            </Table.Th>
            {columns.map((c) => (
              <Table.Th key={c} scope="col">
                {c}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {padTop > 0 && (
            <Table.Tr aria-hidden>
              <Table.Td colSpan={width} style={{ height: padTop, padding: 0 }} />
            </Table.Tr>
          )}
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <Table.Tr key={row.id} aria-rowindex={item.index + 2} style={{ height: ROW_HEIGHT }}>
                <Table.Td>
                  <UnstyledButton
                    onClick={() => onOpen(row.id)}
                    aria-label={`Open event at ${row.time}`}
                  >
                    <Text size="sm" c="blue.9" td="underline">
                      {row.time}
                    </Text>
                  </UnstyledButton>
                </Table.Td>
                {row.cells.map((value, i) => (
                  <Table.Td key={columns[i]}>
                    <Box
                      style={{ overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' }}
                      title={value}
                    >
                      <Text size="sm" span ff="monospace">
                        {value}
                      </Text>
                    </Box>
                  </Table.Td>
                ))}
              </Table.Tr>
            );
          })}
          {padBottom > 0 && (
            <Table.Tr aria-hidden>
              <Table.Td colSpan={width} style={{ height: padBottom, padding: 0 }} />
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}
