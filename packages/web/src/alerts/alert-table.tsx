/**
 * The alert rows: TanStack Table for columns, selection and grouping, TanStack Virtual so a
 * page of hundreds of rows renders only what is on screen. Rows are buttons for the keyboard:
 * Enter opens the alert.
 */
import {
  Badge,
  Box,
  Checkbox,
  Group,
  ScrollArea,
  Table,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { plural } from '../shared/plural.ts';
import type {
  ColumnDef,
  GroupingState,
  Header,
  RowSelectionState,
  SortingState,
} from '@tanstack/react-table';
import {
  flexRender,
  getCoreRowModel,
  getExpandedRowModel,
  getGroupedRowModel,
  getSortedRowModel,
  useReactTable,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';
import type { Alert } from '../api/api-types.ts';
import type { AlertGrouping, AlertSort } from './alert-filters.ts';
import { SORTABLE } from './alert-filters.ts';
import { LevelBadge } from '../shared/level-badge.tsx';

const ROW_HEIGHT = 44;

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

export interface AlertTableProps {
  readonly alerts: readonly Alert[];
  readonly grouping: AlertGrouping;
  readonly selection: RowSelectionState;
  readonly onSelectionChange: (selection: RowSelectionState) => void;
  readonly onOpen: (alertId: string) => void;
  readonly sort: AlertSort | undefined;
  readonly onSortChange: (sort: AlertSort | undefined) => void;
}

const LEVEL_RANK: Readonly<Record<Alert['level'], number>> = {
  informational: 0,
  low: 1,
  medium: 2,
  high: 3,
  critical: 4,
};

/** A column header that sorts the page: a button, with `aria-sort` on the header cell. */
function SortableHeader({
  header,
  onToggle,
}: {
  readonly header: Header<Alert, unknown>;
  readonly onToggle: () => void;
}) {
  const label = String(header.column.columnDef.header);
  const sorted = header.column.getIsSorted();
  return (
    <UnstyledButton onClick={onToggle} aria-label={`Sort by ${label}`} fw={700} fz="sm">
      {label} {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
    </UnstyledButton>
  );
}

export function AlertTable(props: AlertTableProps) {
  const { alerts, grouping, selection, onSelectionChange, onOpen, sort, onSortChange } = props;
  const columns = useMemo<ColumnDef<Alert>[]>(
    () => [
      {
        id: 'select',
        header: ({ table }) => (
          <Checkbox
            aria-label="Select every alert on this page"
            checked={table.getIsAllRowsSelected()}
            indeterminate={table.getIsSomeRowsSelected()}
            onChange={table.getToggleAllRowsSelectedHandler()}
          />
        ),
        cell: ({ row }) =>
          row.getIsGrouped() ? null : (
            <Checkbox
              aria-label={`Select alert ${row.original.ruleTitle} on ${row.original.entities.hosts[0] ?? 'no host'}`}
              checked={row.getIsSelected()}
              onChange={row.getToggleSelectedHandler()}
            />
          ),
        size: 48,
      },
      {
        id: 'level',
        header: 'Level',
        accessorFn: (a) => LEVEL_RANK[a.level],
        cell: ({ row }) => {
          return <LevelBadge level={row.original.level} />;
        },
        size: 96,
      },
      {
        id: 'rule',
        header: 'Rule',
        accessorFn: (a) => a.ruleTitle,
        cell: ({ row }) => (
          <UnstyledButton
            onClick={() => onOpen(row.original.id)}
            aria-label={`Open alert ${row.original.ruleTitle}`}
          >
            <Text size="sm" fw={500} truncate>
              {row.original.ruleTitle}
            </Text>
          </UnstyledButton>
        ),
        // No size: the rule takes what the fixed columns leave (the table fits at 1280 px).
      },
      {
        id: 'host',
        header: 'Host',
        accessorFn: (a) => a.entities.hosts[0] ?? '—',
        size: 150,
      },
      {
        id: 'user',
        header: 'User',
        accessorFn: (a) => a.entities.users[0] ?? '—',
        size: 120,
      },
      { id: 'count', header: 'Hits', accessorKey: 'count', size: 72 },
      {
        id: 'lastSeen',
        header: 'Last seen',
        accessorFn: (a) => a.lastSeen,
        cell: ({ row }) => when(row.original.lastSeen),
        size: 140,
      },
      { id: 'status', header: 'Status', accessorKey: 'status', size: 124 },
    ],
    [onOpen],
  );
  const groupingState = useMemo<GroupingState>(
    () => (grouping === 'none' ? [] : [grouping]),
    [grouping],
  );
  const sorting = useMemo<SortingState>(
    () => (sort ? [{ id: sort.column, desc: sort.desc }] : []),
    [sort],
  );
  const table = useReactTable({
    data: alerts as Alert[],
    columns,
    state: { rowSelection: selection, grouping: groupingState, expanded: true, sorting },
    getRowId: (a) => a.id,
    // Groups are always open; without this the table resets `expanded` on every new row model,
    // which re-renders forever under a controlled state.
    autoResetAll: false,
    enableRowSelection: true,
    onRowSelectionChange: (updater) =>
      onSelectionChange(typeof updater === 'function' ? updater(selection) : updater),
    getCoreRowModel: getCoreRowModel(),
    getGroupedRowModel: getGroupedRowModel(),
    getExpandedRowModel: getExpandedRowModel(),
    getSortedRowModel: getSortedRowModel(),
    manualSorting: false,
  });
  // Ascending first, then descending, then the server's order (newest first).
  const toggleSort = (column: AlertSort['column']) =>
    onSortChange(
      sort?.column !== column
        ? { column, desc: false }
        : !sort.desc
          ? { column, desc: true }
          : undefined,
    );
  const rows = table.getRowModel().rows;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  const width = table.getVisibleLeafColumns().length;

  return (
    <ScrollArea.Autosize mah="calc(100vh - 260px)" viewportRef={scroller} type="auto">
      <Table
        stickyHeader
        highlightOnHover
        aria-label="Alerts"
        aria-rowcount={rows.length + 1}
        style={{ tableLayout: 'fixed' }}
      >
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {group.headers.map((header) => (
                <Table.Th
                  key={header.id}
                  scope="col"
                  style={header.column.id === 'rule' ? undefined : { width: header.getSize() }}
                  aria-sort={
                    sort?.column === header.column.id
                      ? sort.desc
                        ? 'descending'
                        : 'ascending'
                      : undefined
                  }
                >
                  {SORTABLE.some((c) => c === header.column.id) ? (
                    <SortableHeader
                      header={header}
                      onToggle={() => {
                        const column = SORTABLE.find((c) => c === header.column.id);
                        if (column) toggleSort(column);
                      }}
                    />
                  ) : (
                    flexRender(header.column.columnDef.header, header.getContext())
                  )}
                </Table.Th>
              ))}
            </Table.Tr>
          ))}
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
            if (row.getIsGrouped()) {
              return (
                <Table.Tr
                  key={row.id}
                  aria-rowindex={item.index + 2}
                  bg="var(--mantine-color-default-hover)"
                >
                  <Table.Td colSpan={width}>
                    <Group gap="xs">
                      <Text size="sm" fw={600}>
                        {grouping === 'rule' ? 'Rule' : 'Host'}: {String(row.groupingValue)}
                      </Text>
                      <Badge size="sm" variant="outline">
                        {plural(row.subRows.length, 'alert')}
                      </Badge>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            }
            return (
              <Table.Tr
                key={row.id}
                aria-rowindex={item.index + 2}
                style={{ height: ROW_HEIGHT }}
                aria-selected={row.getIsSelected()}
              >
                {row.getVisibleCells().map((cell) => (
                  <Table.Td key={cell.id}>
                    <Box
                      style={{ overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' }}
                    >
                      {cell.getIsPlaceholder() || cell.getIsAggregated()
                        ? null
                        : flexRender(cell.column.columnDef.cell, cell.getContext())}
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
