/**
 * One event in a side panel, as fields and as JSON. From any value the analyst can pivot (a
 * new search for that value), narrow the current search by it, or show the field as a column.
 */
import { Button, Code, Drawer, Group, ScrollArea, Stack, Table, Tabs, Text } from '@mantine/core';
import { useMemo } from 'react';
import type { EventRecord } from '../api/api-types.ts';
import { ErrorState, LoadingState } from '../shared/query-states.tsx';
import type { EventField } from './event-fields.ts';
import { flattenEvent } from './event-fields.ts';
import { useEvent } from './use-event-search.ts';

export interface FieldActions {
  readonly pivot: (field: EventField) => void;
  readonly narrow: (field: EventField) => void;
  readonly toggleColumn: (field: string) => void;
  readonly columns: readonly string[];
}

function FieldRows({ event, actions }: { event: EventRecord; actions: FieldActions }) {
  const fields = useMemo(() => flattenEvent(event.event), [event]);
  return (
    <Table aria-label="Event fields" withRowBorders verticalSpacing={4}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col" w={220}>
            Field
          </Table.Th>
          <Table.Th scope="col">Value</Table.Th>
          <Table.Th scope="col" w={220}>
            Actions
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {fields.map((f, i) => {
          const shown = `${f.field}: ${String(f.value)}`.slice(0, 120);
          const isColumn = actions.columns.includes(f.field);
          return (
            <Table.Tr key={`${f.field}-${i}`}>
              <Table.Th scope="row" style={{ fontWeight: 500, wordBreak: 'break-all' }}>
                <Text size="sm" ff="monospace">
                  {f.field}
                </Text>
              </Table.Th>
              <Table.Td style={{ wordBreak: 'break-word' }}>
                <Text size="sm" ff="monospace">
                  {f.value === null ? 'null' : String(f.value)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Button
                    size="compact-xs"
                    variant="light"
                    aria-label={`Pivot to ${shown}`}
                    onClick={() => actions.pivot(f)}
                  >
                    Pivot
                  </Button>
                  <Button
                    size="compact-xs"
                    variant="light"
                    aria-label={`Narrow the search to ${shown}`}
                    onClick={() => actions.narrow(f)}
                  >
                    Narrow
                  </Button>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    aria-label={`${isColumn ? 'Hide' : 'Show'} column ${f.field}`}
                    onClick={() => actions.toggleColumn(f.field)}
                  >
                    {isColumn ? 'Hide column' : 'Show column'}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

export function EventDrawer({
  tenantId,
  eventId,
  actions,
  onClose,
}: {
  readonly tenantId: string;
  readonly eventId: string | undefined;
  readonly actions: FieldActions;
  readonly onClose: () => void;
}) {
  const event = useEvent(tenantId, eventId);
  return (
    <Drawer
      opened={eventId !== undefined}
      onClose={onClose}
      position="right"
      size="xl"
      title="Event"
      scrollAreaComponent={ScrollArea.Autosize}
    >
      {event.isPending ? (
        <LoadingState label="Loading the event…" />
      ) : event.error ? (
        <ErrorState error={event.error} />
      ) : (
        <Stack gap="sm">
          <Text size="sm">
            {new Date(event.data.timestamp).toLocaleString()} · ingested{' '}
            {new Date(event.data.ingestedAt).toLocaleString()}
          </Text>
          <Text size="xs" c="dimmed">
            Arrived by{' '}
            {typeof event.data.provenance['kind'] === 'string'
              ? event.data.provenance['kind']
              : 'unrecorded'}{' '}
            · {event.data.id}
          </Text>
          <Tabs defaultValue="fields" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="fields">Fields</Tabs.Tab>
              <Tabs.Tab value="json">JSON</Tabs.Tab>
              <Tabs.Tab value="provenance">Provenance</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="fields" pt="xs">
              <FieldRows event={event.data} actions={actions} />
            </Tabs.Panel>
            <Tabs.Panel value="json" pt="xs">
              <Code block>{JSON.stringify(event.data.event, null, 2)}</Code>
            </Tabs.Panel>
            <Tabs.Panel value="provenance" pt="xs">
              <Code block>{JSON.stringify(event.data.provenance, null, 2)}</Code>
            </Tabs.Panel>
          </Tabs>
        </Stack>
      )}
    </Drawer>
  );
}
