/**
 * The readiness of a tenant as a client and its MSSP read it: the score, the gaps heaviest
 * first with what was measured and what to do about each, every check, and the recorded
 * history (a snapshot is taken on demand, or by the scheduler).
 */
import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { ErrorState, LoadingState } from '../shared/query-states.tsx';
import type { ReadinessCheck } from './use-preparation.ts';
import { useReadiness, useReadinessHistory, useRecordSnapshot } from './use-preparation.ts';

const CHECK_LABEL: Readonly<Record<string, string>> = {
  documentation_coverage: 'Hosts documented',
  documentation_freshness: 'Documentation current',
  backups_within_rpo: 'Backups within RPO',
  restore_tests: 'Restores tested',
  offline_copies: 'Offline copies',
  functions_mapped: 'Business functions mapped',
  plan_reviewed: 'Response plan reviewed',
  roles_staffed: 'Response roles staffed',
  agents_deployed: 'Agents deployed',
  log_sources_flowing: 'Log sources flowing',
  last_exercise: 'Exercise held recently',
};

export function checkLabel(id: string): string {
  return CHECK_LABEL[id] ?? id.replaceAll('_', ' ');
}

function scoreColor(score: number): string {
  return score >= 80 ? 'green' : score >= 50 ? 'yellow' : 'red';
}

function percent(value: number | null): string {
  return value === null ? 'not measurable' : `${Math.round(value * 100)} %`;
}

function ChecksTable({
  label,
  checks,
  withRemediation,
}: {
  readonly label: string;
  readonly checks: readonly ReadinessCheck[];
  readonly withRemediation: boolean;
}) {
  return (
    <Table striped verticalSpacing="xs" aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Check</Table.Th>
          <Table.Th scope="col">Met</Table.Th>
          <Table.Th scope="col">Weight</Table.Th>
          <Table.Th scope="col">Measured</Table.Th>
          {withRemediation && <Table.Th scope="col">What to do</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {checks.map((check) => (
          <Table.Tr key={check.id}>
            <Table.Th scope="row" fw={500}>
              {checkLabel(check.id)}
            </Table.Th>
            <Table.Td>{percent(check.value)}</Table.Td>
            <Table.Td>{check.weight}</Table.Td>
            <Table.Td>
              <Text size="sm">{check.measured}</Text>
            </Table.Td>
            {withRemediation && (
              <Table.Td>
                <Text size="sm">{check.remediation}</Text>
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function History({ tenantId }: { readonly tenantId: string }) {
  const history = useReadinessHistory(tenantId);
  if (history.isPending) return <LoadingState label="Loading the history…" />;
  if (history.error) return <ErrorState error={history.error} />;
  if (history.data.length === 0)
    return <Text size="sm">No snapshot recorded yet: the trend starts with the first one.</Text>;
  return (
    <Table verticalSpacing={4} aria-label="Readiness history">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Recorded</Table.Th>
          <Table.Th scope="col">Score</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {history.data.slice(0, 12).map((snapshot) => (
          <Table.Tr key={snapshot.id}>
            <Table.Td>{new Date(snapshot.at).toLocaleString()}</Table.Td>
            <Table.Td>{snapshot.score.toFixed(0)} / 100</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function ReadinessPanel({
  tenantId,
  writable,
}: {
  readonly tenantId: string;
  readonly writable: boolean;
}) {
  const readiness = useReadiness(tenantId);
  const record = useRecordSnapshot(tenantId);
  if (readiness.isPending) return <LoadingState label="Measuring readiness…" />;
  if (readiness.error)
    return <ErrorState error={readiness.error} retry={() => void readiness.refetch()} />;
  const { score, gaps, checks } = readiness.data;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Group gap="sm">
          <Title order={2} size="h4">
            Readiness
          </Title>
          <Badge
            size="lg"
            color={scoreColor(score)}
            variant="light"
            aria-label={`Score ${score.toFixed(0)} of 100`}
          >
            {score.toFixed(0)} / 100
          </Badge>
        </Group>
        {writable && (
          <Button
            size="xs"
            variant="light"
            loading={record.isPending}
            onClick={() => record.mutate()}
          >
            Record a snapshot
          </Button>
        )}
      </Group>
      {record.error && <ErrorState error={record.error} />}
      <Paper withBorder p="sm">
        <Title order={3} size="h5" mb="xs">
          {gaps.length === 0
            ? 'No gaps: every check is met'
            : `${gaps.length} ${gaps.length === 1 ? 'gap' : 'gaps'}, heaviest first`}
        </Title>
        {gaps.length > 0 && <ChecksTable label="Readiness gaps" checks={gaps} withRemediation />}
      </Paper>
      <Paper withBorder p="sm">
        <Title order={3} size="h5" mb="xs">
          Every check
        </Title>
        <ChecksTable label="Readiness checks" checks={checks} withRemediation={false} />
      </Paper>
      <Paper withBorder p="sm">
        <Title order={3} size="h5" mb="xs">
          History
        </Title>
        <History tenantId={tenantId} />
      </Paper>
    </Stack>
  );
}
