/** Observables (addresses, domains, hashes, users, hosts) and a form to record one. */
import { Button, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { ObservableKindValue } from '../../api/api-types.ts';
import { OBSERVABLE_KINDS } from '../../api/vocabulary.ts';
import { EmptyState, ErrorState, LoadingState } from '../../shared/query-states.tsx';
import { useAddObservable, useObservables } from '../use-incidents.ts';

export function ObservablesPanel({
  tenantId,
  incidentId,
  writable,
}: {
  readonly tenantId: string;
  readonly incidentId: string;
  readonly writable: boolean;
}) {
  const observables = useObservables(tenantId, incidentId);
  const add = useAddObservable(tenantId, incidentId);
  const [kind, setKind] = useState<ObservableKindValue>('ip');
  const [value, setValue] = useState('');
  return (
    <Stack gap="sm">
      {observables.isPending ? (
        <LoadingState label="Loading observables…" />
      ) : observables.error ? (
        <ErrorState error={observables.error} />
      ) : observables.data.length === 0 ? (
        <EmptyState title="No observables recorded" />
      ) : (
        <Table aria-label="Observables" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Kind</Table.Th>
              <Table.Th scope="col">Value</Table.Th>
              <Table.Th scope="col">First seen</Table.Th>
              <Table.Th scope="col">Last seen</Table.Th>
              <Table.Th scope="col">Note</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {observables.data.map((o) => (
              <Table.Tr key={o.id}>
                <Table.Td>{o.kind}</Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>{o.value}</Table.Td>
                <Table.Td>{new Date(o.firstSeen).toLocaleString()}</Table.Td>
                <Table.Td>{new Date(o.lastSeen).toLocaleString()}</Table.Td>
                <Table.Td>{o.note ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {writable && (
        <Group gap="xs" align="flex-end">
          <Select
            label="Observable kind"
            size="sm"
            w={140}
            data={OBSERVABLE_KINDS.map((k) => ({ value: k, label: k.replace('_', ' ') }))}
            value={kind}
            onChange={(v) => v && setKind(v)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <TextInput
            label="Observable value"
            size="sm"
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
          />
          <Button
            disabled={value.trim() === ''}
            loading={add.isPending}
            onClick={() =>
              add.mutate({ kind, value: value.trim() }, { onSuccess: () => setValue('') })
            }
          >
            Record observable
          </Button>
        </Group>
      )}
      {add.error && (
        <Text c="red.8" size="sm" role="alert">
          {add.error.message}
        </Text>
      )}
    </Stack>
  );
}
