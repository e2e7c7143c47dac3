/**
 * Agents and containment: the agents a page at a time by hostname, each with its status
 * (online, isolated, last seen — kept live by the stream and a heartbeat poll), its actions in
 * a side panel, and the tenant's containment policy. Controls follow the role; the server
 * decides either way.
 */
import { Badge, Button, Group, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { useMemo } from 'react';
import { useSearchParams, useParams } from 'react-router';
import { canApproveContainment, roleIn, useSession } from '../auth/use-session.ts';
import type { Role } from '../api/api-types.ts';
import { EmptyState, ErrorState, LoadingState } from '../shared/query-states.tsx';
import { AgentPanel } from './agent-actions.tsx';
import { PolicyEditor } from './policy-editor.tsx';
import { useAgent, useAgents } from './use-agents.ts';

const RUNNERS: readonly Role[] = ['platform_admin', 'incident_lead', 'responder'];

export function AgentsScreen() {
  const { tenantId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const agents = useAgents(tenantId);
  const session = useSession();
  const role = roleIn(session.data, tenantId);
  const openId = params.get('agent') ?? undefined;
  const items = useMemo(() => (agents.data?.pages ?? []).flatMap((p) => p.items), [agents.data]);
  const first = agents.data?.pages[0];
  const loaded = items.find((a) => a.agentId === openId);
  const fetched = useAgent(tenantId, loaded ? undefined : openId);
  const open = loaded ?? fetched.data;

  return (
    <Stack gap="lg">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <Title order={1} size="h3">
            Agents
          </Title>
          <Text size="sm" aria-live="polite">
            {first
              ? `${first.online} of ${first.total}${first.totalIsLowerBound ? '+' : ''} online`
              : ''}
          </Text>
        </Group>
        {agents.isPending ? (
          <LoadingState label="Loading agents…" />
        ) : agents.error ? (
          <ErrorState error={agents.error} retry={() => void agents.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState title="No agents enrolled">
            Issue an enrolment token and run <code>cordon agent enrol</code> on a host.
          </EmptyState>
        ) : (
          <Table aria-label="Agents" withRowBorders highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Host</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Isolation</Table.Th>
                <Table.Th scope="col">Addresses</Table.Th>
                <Table.Th scope="col">System</Table.Th>
                <Table.Th scope="col">Last seen</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((a) => (
                <Table.Tr key={a.agentId}>
                  <Table.Th scope="row">
                    <UnstyledButton
                      onClick={() => setParams({ agent: a.agentId })}
                      aria-label={`Open agent ${a.hostname}`}
                    >
                      <Text size="sm" fw={600} c="indigo.9" td="underline">
                        {a.hostname}
                      </Text>
                    </UnstyledButton>
                  </Table.Th>
                  <Table.Td>
                    <Badge color={a.online ? 'teal' : 'gray'} variant="light" c="dark.9" size="sm">
                      {a.online ? 'online' : 'offline'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {a.isolated ? (
                      <Badge color="red" variant="light" c="dark.9" size="sm">
                        isolated
                      </Badge>
                    ) : (
                      'not isolated'
                    )}
                  </Table.Td>
                  <Table.Td>{[...a.addresses.v4, ...a.addresses.v6].join(', ') || '—'}</Table.Td>
                  <Table.Td>
                    {a.os.platform} {a.os.release} · {a.agentVersion}
                  </Table.Td>
                  <Table.Td>{new Date(a.lastSeenAt).toLocaleString()}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {agents.hasNextPage && (
          <Group gap="sm">
            <Button
              variant="default"
              size="xs"
              loading={agents.isFetchingNextPage}
              onClick={() => void agents.fetchNextPage()}
            >
              Show more agents
            </Button>
            <Text size="sm" c="dimmed">
              {items.length} shown
            </Text>
          </Group>
        )}
      </Stack>
      <PolicyEditor tenantId={tenantId} editable={canApproveContainment(role)} />
      <AgentPanel
        tenantId={tenantId}
        agent={open}
        canRun={role !== undefined && RUNNERS.includes(role)}
        onClose={() => setParams({})}
      />
    </Stack>
  );
}
