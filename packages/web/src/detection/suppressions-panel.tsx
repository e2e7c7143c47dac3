/**
 * Suppressions: alerts of a rule (or of every rule) on events with given field values are
 * filed as suppressed rather than waiting for triage, until the suppression expires; each
 * counts its hits. Listed for everyone; writers add them (reason, expiry; journaled) and
 * remove them (asked twice). The alert queue's bulk "Suppress" adds them too.
 */
import { Badge, Button, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../shared/query-states.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { fieldConditionsText } from './field-filter.ts';
import { FilterForm } from './filter-form.tsx';
import type { Suppression } from './use-detection.ts';
import { useAddSuppression, useRemoveSuppression, useSuppressions } from './use-detection.ts';

function Expiry({ at }: { readonly at: string | null }) {
  if (at === null) return <>never</>;
  const expired = Date.parse(at) <= Date.now();
  return (
    <>
      {new Date(at).toLocaleString()}
      {expired && (
        <Badge ml="xs" size="sm" color="gray" variant="light" c="dark.9">
          expired
        </Badge>
      )}
    </>
  );
}

export function SuppressionsPanel({
  tenantId,
  writable,
}: {
  readonly tenantId: string;
  readonly writable: boolean;
}) {
  const list = useSuppressions(tenantId);
  const add = useAddSuppression(tenantId);
  const remove = useRemoveSuppression(tenantId);
  const [removing, setRemoving] = useState<Suppression | undefined>();
  const items = list.data ?? [];

  return (
    <Stack gap="lg">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          An alert a suppression covers is kept but filed as suppressed, so it does not wait in the
          queue; the suppression counts its hits.
        </Text>
        {list.isPending ? (
          <LoadingState label="Loading suppressions…" />
        ) : list.error ? (
          <ErrorState error={list.error} retry={() => void list.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title="No suppressions">Every alert waits for triage.</EmptyState>
        ) : (
          <Table aria-label="Suppressions" withRowBorders>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Rule</Table.Th>
                <Table.Th scope="col">Field conditions</Table.Th>
                <Table.Th scope="col">Reason</Table.Th>
                <Table.Th scope="col">Expires</Table.Th>
                <Table.Th scope="col">Hits</Table.Th>
                <Table.Th scope="col">Added</Table.Th>
                {writable && (
                  <Table.Th scope="col">
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{s.ruleId ?? 'every rule'}</Table.Td>
                  <Table.Td>{fieldConditionsText(s.fields) || '—'}</Table.Td>
                  <Table.Td>{s.reason}</Table.Td>
                  <Table.Td>
                    <Expiry at={s.expiresAt} />
                  </Table.Td>
                  <Table.Td>{s.hits.toLocaleString()}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{s.createdBy}</Text>
                    <Text size="xs" c="dimmed">
                      {new Date(s.createdAt).toLocaleString()}
                    </Text>
                  </Table.Td>
                  {writable && (
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="light"
                        color="red"
                        aria-label={`Remove the suppression: ${s.reason}`}
                        onClick={() => {
                          remove.reset();
                          setRemoving(s);
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
        <Stack gap="sm" component="section" aria-labelledby="new-suppression">
          <Title order={2} size="h5" id="new-suppression">
            Add a suppression
          </Title>
          <FilterForm
            noun="suppression"
            withExpiry
            pending={add.isPending}
            error={add.error}
            onSubmit={(input, done) => add.mutate(input, { onSuccess: done })}
          />
        </Stack>
      )}
      <ConfirmDialog
        title="Remove this suppression?"
        confirmLabel="Remove suppression"
        opened={removing !== undefined}
        pending={remove.isPending}
        error={remove.error}
        onClose={() => setRemoving(undefined)}
        onConfirm={() =>
          removing && remove.mutate(removing.id, { onSuccess: () => setRemoving(undefined) })
        }
      >
        Alerts it covered (“{removing?.reason}”) wait for triage again. Alerts already suppressed
        stay as they are.
      </ConfirmDialog>
    </Stack>
  );
}
