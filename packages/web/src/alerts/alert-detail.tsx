/** One alert in a side panel: its fields, the rule that fired, and its first events. */
import { Badge, Code, Drawer, Group, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import type { Alert } from '../api/api-types.ts';
import { ErrorState, LoadingState } from '../shared/query-states.tsx';
import { useAlert, useAlertEvents } from './use-alerts.ts';
import { LevelBadge } from '../shared/level-badge.tsx';

function Fields({ alert }: { readonly alert: Alert }) {
  const rows: [string, string][] = [
    ['Status', alert.status + (alert.closedReason ? ` (${alert.closedReason})` : '')],
    ['First seen', new Date(alert.firstSeen).toLocaleString()],
    ['Last seen', new Date(alert.lastSeen).toLocaleString()],
    ['Hits', String(alert.count)],
    ['Hosts', alert.entities.hosts.join(', ') || '—'],
    ['Users', alert.entities.users.join(', ') || '—'],
    ['Source addresses', alert.entities.sourceIps.join(', ') || '—'],
    ['Addresses', alert.entities.ips.join(', ') || '—'],
    ['Events', String(alert.eventCount)],
  ];
  return (
    <Table aria-label="Alert fields" withRowBorders={false}>
      <Table.Tbody>
        {rows.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Th scope="row" w={150}>
              {k}
            </Table.Th>
            <Table.Td>{v}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function AlertDetail({
  tenantId,
  alertId,
  onClose,
}: {
  readonly tenantId: string;
  readonly alertId: string | undefined;
  readonly onClose: () => void;
}) {
  const alert = useAlert(tenantId, alertId);
  const events = useAlertEvents(tenantId, alert.data);
  return (
    <Drawer
      opened={alertId !== undefined}
      onClose={onClose}
      position="right"
      size="xl"
      title="Alert"
      scrollAreaComponent={ScrollArea.Autosize}
    >
      {alert.isPending ? (
        <LoadingState label="Loading the alert…" />
      ) : alert.error ? (
        <ErrorState error={alert.error} />
      ) : (
        <Stack>
          <Group gap="xs">
            <LevelBadge level={alert.data.level} />
            <Title order={2} size="h4">
              {alert.data.ruleTitle}
            </Title>
          </Group>
          <Fields alert={alert.data} />
          <Title order={3} size="h5">
            Rule
          </Title>
          <Table aria-label="Rule" withRowBorders={false}>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th scope="row" w={150}>
                  Rule id
                </Table.Th>
                <Table.Td>
                  <Code>{alert.data.ruleId}</Code>
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">From</Table.Th>
                <Table.Td>
                  {alert.data.source === 'tenant'
                    ? "the tenant's own rules"
                    : 'the server rule set'}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">Tags</Table.Th>
                <Table.Td>
                  <Group gap={4}>
                    {alert.data.tags.length === 0
                      ? '—'
                      : alert.data.tags.map((t) => (
                          <Badge key={t} variant="outline" size="sm">
                            {t}
                          </Badge>
                        ))}
                  </Group>
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          <Title order={3} size="h5">
            Events ({alert.data.eventCount})
          </Title>
          {alert.data.eventIds.length === 0 ? (
            <Text size="sm">No events kept for this alert.</Text>
          ) : events.isPending ? (
            <LoadingState label="Loading events…" />
          ) : events.error ? (
            <ErrorState error={events.error} />
          ) : (
            events.data.map((e) => (
              <Stack key={e.id} gap={4}>
                <Text size="xs" c="dimmed">
                  {new Date(e.timestamp).toLocaleString()} · {e.id}
                </Text>
                <Code block>{JSON.stringify(e.event, null, 2)}</Code>
              </Stack>
            ))
          )}
        </Stack>
      )}
    </Drawer>
  );
}
