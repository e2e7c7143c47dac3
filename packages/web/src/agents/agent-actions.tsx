/**
 * One agent in a side panel: its identity, its containment actions with their states (live
 * through the stream), isolate / release requests for those who may run containment, and the
 * break-glass release code (shown once) for whoever stands at an isolated host.
 */
import {
  Alert,
  Badge,
  Button,
  Code,
  Drawer,
  Group,
  ScrollArea,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import type { Agent } from '../api/api-types.ts';
import { ErrorState, LoadingState } from '../shared/query-states.tsx';
import { useAgentActions, useIssueReleaseCode, useRequestAction } from './use-agents.ts';

function ActionRows({ tenantId, agentId }: { tenantId: string; agentId: string }) {
  const actions = useAgentActions(tenantId, agentId);
  if (actions.isPending) return <LoadingState label="Loading actions…" />;
  if (actions.error) return <ErrorState error={actions.error} />;
  if (actions.data.items.length === 0) return <Text size="sm">No containment actions yet.</Text>;
  return (
    <Table aria-label="Agent actions" withRowBorders>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Action</Table.Th>
          <Table.Th scope="col">State</Table.Th>
          <Table.Th scope="col">Requested by</Table.Th>
          <Table.Th scope="col">Updated</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {actions.data.items.map((a) => (
          <Table.Tr key={a.id}>
            <Table.Td>{a.action.kind}</Table.Td>
            <Table.Td>
              <Badge variant="light" size="sm" c="dark.9" aria-label={`State: ${a.state}`}>
                {a.state}
              </Badge>
              {a.detail && (
                <Text size="xs" c="dimmed">
                  {a.detail}
                </Text>
              )}
            </Table.Td>
            <Table.Td>{a.requestedBy}</Table.Td>
            <Table.Td>{new Date(a.updatedAt).toLocaleString()}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function AgentPanel({
  tenantId,
  agent,
  canRun,
  onClose,
}: {
  readonly tenantId: string;
  readonly agent: Agent | undefined;
  readonly canRun: boolean;
  readonly onClose: () => void;
}) {
  const request = useRequestAction(tenantId);
  const code = useIssueReleaseCode(tenantId);
  return (
    <Drawer
      opened={agent !== undefined}
      onClose={() => {
        request.reset();
        code.reset();
        onClose();
      }}
      position="right"
      size="xl"
      title={agent ? `Agent on ${agent.hostname}` : 'Agent'}
      scrollAreaComponent={ScrollArea.Autosize}
    >
      {agent && (
        <Stack gap="sm">
          <Text size="sm">
            {agent.os.platform} {agent.os.release} · agent {agent.agentVersion} · enrolled{' '}
            {new Date(agent.enrolledAt).toLocaleString()}
          </Text>
          <Text size="xs" c="dimmed">
            {agent.agentId}
          </Text>
          {canRun && (
            <Group>
              <Button
                color="red"
                variant="light"
                disabled={agent.isolated}
                loading={request.isPending && request.variables.kind === 'isolate'}
                onClick={() => request.mutate({ agentId: agent.agentId, kind: 'isolate' })}
              >
                Request isolation
              </Button>
              <Button
                variant="light"
                disabled={!agent.isolated}
                loading={request.isPending && request.variables.kind === 'release'}
                onClick={() => request.mutate({ agentId: agent.agentId, kind: 'release' })}
              >
                Request release
              </Button>
              <Button
                variant="subtle"
                loading={code.isPending}
                onClick={() => code.mutate(agent.agentId)}
              >
                Issue break-glass code
              </Button>
            </Group>
          )}
          {request.error && (
            <Alert color="red" role="alert" title="The request was refused">
              {request.error.message}
            </Alert>
          )}
          {request.data && (
            <Text size="sm" role="status">
              {request.data.action.kind} requested: {request.data.state}
              {request.data.requiredApprovals > request.data.approvals.length
                ? ' (waits for approval)'
                : ''}
            </Text>
          )}
          {code.error && (
            <Alert color="red" role="alert" title="No code was issued">
              {code.error.message}
            </Alert>
          )}
          {code.data && (
            <Alert color="yellow" title="Break-glass release code (shown once)">
              <Stack gap={4}>
                <Code fz="lg" aria-label="Release code">
                  {code.data.code}
                </Code>
                <Text size="sm">
                  Read it to the person at the host: <Code>cordon agent release --code …</Code>.
                  Valid until {new Date(code.data.expiresAt).toLocaleString()}.
                </Text>
              </Stack>
            </Alert>
          )}
          <ActionRows tenantId={tenantId} agentId={agent.agentId} />
        </Stack>
      )}
    </Drawer>
  );
}
