/**
 * Exclusions: matches of a rule (or of every rule) on events with given field values are
 * dropped before they become alerts — for known benign activity. Listed for everyone; writers
 * add them (with a reason, journaled) and remove them (asked twice).
 */
import { Button, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../shared/query-states.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { fieldConditionsText } from './field-filter.ts';
import { FilterForm } from './filter-form.tsx';
import type { Exclusion } from './use-detection.ts';
import { useAddExclusion, useExclusions, useRemoveExclusion } from './use-detection.ts';

export function ExclusionsPanel({
  tenantId,
  writable,
}: {
  readonly tenantId: string;
  readonly writable: boolean;
}) {
  const list = useExclusions(tenantId);
  const add = useAddExclusion(tenantId);
  const remove = useRemoveExclusion(tenantId);
  const [removing, setRemoving] = useState<Exclusion | undefined>();
  const items = list.data ?? [];

  return (
    <Stack gap="lg">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          A match an exclusion covers never becomes an alert. Changes apply from the tenant&apos;s
          next batch of events.
        </Text>
        {list.isPending ? (
          <LoadingState label="Loading exclusions…" />
        ) : list.error ? (
          <ErrorState error={list.error} retry={() => void list.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title="No exclusions">Every match of every rule becomes an alert.</EmptyState>
        ) : (
          <Table aria-label="Exclusions" withRowBorders>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Rule</Table.Th>
                <Table.Th scope="col">Field conditions</Table.Th>
                <Table.Th scope="col">Reason</Table.Th>
                <Table.Th scope="col">Added</Table.Th>
                {writable && (
                  <Table.Th scope="col">
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{e.ruleId ?? 'every rule'}</Table.Td>
                  <Table.Td>{fieldConditionsText(e.fields) || '—'}</Table.Td>
                  <Table.Td>{e.reason}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{e.createdBy}</Text>
                    <Text size="xs" c="dimmed">
                      {new Date(e.createdAt).toLocaleString()}
                    </Text>
                  </Table.Td>
                  {writable && (
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="light"
                        color="red"
                        aria-label={`Remove the exclusion: ${e.reason}`}
                        onClick={() => {
                          remove.reset();
                          setRemoving(e);
                        }}
                      >
                        Remove
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      {writable && (
        <Stack gap="sm" component="section" aria-labelledby="new-exclusion">
          <Title order={2} size="h5" id="new-exclusion">
            Add an exclusion
          </Title>
          <FilterForm
            noun="exclusion"
            withExpiry={false}
            pending={add.isPending}
            error={add.error}
            onSubmit={({ ruleId, fields, reason }, done) =>
              add.mutate({ ruleId, fields, reason }, { onSuccess: done })
            }
          />
        </Stack>
      )}
      <ConfirmDialog
        title="Remove this exclusion?"
        confirmLabel="Remove exclusion"
        opened={removing !== undefined}
        pending={remove.isPending}
        error={remove.error}
        onClose={() => setRemoving(undefined)}
        onConfirm={() =>
          removing && remove.mutate(removing.id, { onSuccess: () => setRemoving(undefined) })
        }
      >
        Matches it covered (“{removing?.reason}”) raise alerts again from the tenant&apos;s next
        batch of events.
      </ConfirmDialog>
    </Stack>
  );
}
