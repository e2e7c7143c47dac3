/**
 * Containment actions of the incident with their states (requested → approved → sent →
 * applied, or failed / rolled back / reverted), who asked and who approved; an incident lead
 * approves or denies a requested action here. States change live (the action's journal
 * entries reach the page over the live stream).
 */
import { Badge, Button, Group, Modal, Stack, Table, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { Action, ActionState } from '../../api/api-types.ts';
import { EmptyState, ErrorState, LoadingState } from '../../shared/query-states.tsx';
import { useDecideAction, useIncidentActions } from '../use-incidents.ts';

const STATE_COLOR: Readonly<Record<ActionState, string>> = {
  requested: 'yellow',
  approved: 'blue',
  sent: 'cyan',
  applied: 'green',
  failed: 'red',
  'rolled-back': 'orange',
  reverted: 'gray',
};

function describe(action: Action): string {
  const { kind, ...rest } = action.action;
  const args = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return args ? `${kind} ${args}` : kind;
}

export function ContainmentPanel({
  tenantId,
  incidentId,
  canApprove,
}: {
  readonly tenantId: string;
  readonly incidentId: string;
  readonly canApprove: boolean;
}) {
  const actions = useIncidentActions(tenantId, incidentId);
  const decide = useDecideAction(tenantId, incidentId);
  const [denying, setDenying] = useState<Action | undefined>();
  const [reason, setReason] = useState('');
  const failed = (error: Error) =>
    notifications.show({ color: 'red', title: 'Not done', message: error.message });

  if (actions.isPending) return <LoadingState label="Loading containment actions…" />;
  if (actions.error)
    return <ErrorState error={actions.error} retry={() => void actions.refetch()} />;
  if (actions.data.items.length === 0) {
    return (
      <EmptyState title="No containment actions">
        Actions requested for this incident (isolate a host, block an address …) appear here.
      </EmptyState>
    );
  }
  return (
    <>
      <Table aria-label="Containment actions" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Action</Table.Th>
            <Table.Th scope="col">Agent</Table.Th>
            <Table.Th scope="col">State</Table.Th>
            <Table.Th scope="col">Requested by</Table.Th>
            <Table.Th scope="col">Approved by</Table.Th>
            <Table.Th scope="col">Updated</Table.Th>
            <Table.Th scope="col">Decision</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {actions.data.items.map((action) => (
            <Table.Tr key={action.id}>
              <Table.Td>
                <Text size="sm">{describe(action)}</Text>
                {action.detail && (
                  <Text size="xs" c="dimmed">
                    {action.detail}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{action.agentId}</Table.Td>
              <Table.Td>
                <Badge
                  color={STATE_COLOR[action.state]}
                  variant="light"
                  aria-label={`State: ${action.state}`}
                >
                  {action.state}
                </Badge>
              </Table.Td>
              <Table.Td>{action.requestedBy}</Table.Td>
              <Table.Td>{action.approvedBy ?? '—'}</Table.Td>
              <Table.Td>{new Date(action.updatedAt).toLocaleString()}</Table.Td>
              <Table.Td>
                {action.state === 'requested' && canApprove ? (
                  <Group gap={4}>
                    <Button
                      size="xs"
                      aria-label={`Approve ${describe(action)}`}
                      loading={decide.isPending && decide.variables.actionId === action.id}
                      onClick={() =>
                        decide.mutate(
                          { actionId: action.id, decision: 'approve' },
                          { onError: failed },
                        )
                      }
                    >
                      Approve
                    </Button>
                    <Button
                      size="xs"
                      variant="outline"
                      color="red"
                      aria-label={`Deny ${describe(action)}`}
                      onClick={() => setDenying(action)}
                    >
                      Deny…
                    </Button>
                  </Group>
                ) : action.state === 'requested' ? (
                  <Text size="xs">awaiting an incident lead</Text>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal
        opened={denying !== undefined}
        onClose={() => setDenying(undefined)}
        title="Deny the containment action"
      >
        <Stack>
          <Text size="sm">{denying ? describe(denying) : ''}</Text>
          <Textarea
            label="Reason"
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            data-autofocus
          />
          <Button
            color="red"
            disabled={reason.trim() === ''}
            loading={decide.isPending}
            onClick={() =>
              denying &&
              decide.mutate(
                { actionId: denying.id, decision: 'deny', reason: reason.trim() },
                {
                  onSuccess: () => {
                    setDenying(undefined);
                    setReason('');
                  },
                  onError: failed,
                },
              )
            }
          >
            Deny
          </Button>
        </Stack>
      </Modal>
    </>
  );
}
