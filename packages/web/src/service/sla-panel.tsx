/**
 * The tenant's SLA results over the last 30 days: per metric, how many clocks are running, at
 * risk, paused, breached, met and missed (at risk and breached marked, as they need someone
 * now), the share met, and the incidents that missed or breached a target.
 */
import { Anchor, Badge, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '../shared/query-states.tsx';
import type { SlaMetric, SlaReport, SlaState } from './use-service.ts';
import { useSlaReport } from './use-service.ts';

const STATES: readonly { state: SlaState; label: string; color?: string }[] = [
  { state: 'running', label: 'Running' },
  { state: 'at_risk', label: 'At risk', color: 'orange.9' },
  { state: 'paused', label: 'Paused' },
  { state: 'breached', label: 'Breached', color: 'red.9' },
  { state: 'met', label: 'Met' },
  { state: 'missed', label: 'Missed', color: 'red.9' },
];

const METRIC_LABEL: Readonly<Record<SlaMetric, string>> = {
  acknowledge: 'Acknowledge',
  contain: 'Contain',
  resolve: 'Resolve',
};

function Count({ value, color }: { readonly value: number; readonly color?: string }) {
  if (value === 0 || color === undefined) return <>{value}</>;
  return (
    <Badge color={color} variant="filled" radius="sm">
      {value}
    </Badge>
  );
}

function MetricsTable({ report }: { readonly report: SlaReport }) {
  return (
    <Table striped verticalSpacing="xs" aria-label="SLA results per metric">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Metric</Table.Th>
          {STATES.map((s) => (
            <Table.Th scope="col" key={s.state}>
              {s.label}
            </Table.Th>
          ))}
          <Table.Th scope="col">Share met</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {report.metrics.map((m) => (
          <Table.Tr key={m.metric}>
            <Table.Th scope="row">{METRIC_LABEL[m.metric]}</Table.Th>
            {STATES.map((s) => (
              <Table.Td key={s.state}>
                <Count value={m.counts[s.state]} {...(s.color ? { color: s.color } : {})} />
              </Table.Td>
            ))}
            <Table.Td>{m.metShare === null ? '—' : `${Math.round(m.metShare * 100)} %`}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function FailuresTable({
  tenantId,
  report,
}: {
  readonly tenantId: string;
  readonly report: SlaReport;
}) {
  if (report.failures.length === 0)
    return <Text size="sm">No incident missed or breached a target in this period.</Text>;
  return (
    <Table verticalSpacing="xs" aria-label="SLA failures">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Incident</Table.Th>
          <Table.Th scope="col">Metric</Table.Th>
          <Table.Th scope="col">State</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {report.failures.map((f) => (
          <Table.Tr key={`${f.incidentId}-${f.metric}`}>
            <Table.Td>
              <Anchor component={Link} to={`/t/${tenantId}/incidents/${f.incidentId}`}>
                #{f.number}
              </Anchor>
            </Table.Td>
            <Table.Td>{METRIC_LABEL[f.metric]}</Table.Td>
            <Table.Td>
              <Badge color="red.9" variant="filled">
                {f.state}
              </Badge>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function SlaPanel({ tenantId }: { readonly tenantId: string }) {
  const report = useSlaReport(tenantId);
  if (report.isPending) return <LoadingState label="Loading the SLA report…" />;
  if (report.error) return <ErrorState error={report.error} retry={() => void report.refetch()} />;
  const { data } = report;
  const period = `${new Date(data.from).toLocaleDateString()} – ${new Date(data.to).toLocaleDateString()}`;
  return (
    <Paper withBorder p="sm">
      <Stack gap="sm">
        <Title order={2} size="h4">
          SLA report
        </Title>
        {!data.covered ? (
          <EmptyState title="No SLA in the contract">
            The tenant&apos;s contract sets no SLA targets, so no clock runs.
          </EmptyState>
        ) : (
          <>
            <Text size="sm">
              {data.incidents} {data.incidents === 1 ? 'incident' : 'incidents'} opened {period}
              {data.truncated ? ' (the first ones only: more were opened)' : ''}
            </Text>
            <MetricsTable report={data} />
            <Title order={3} size="h5">
              Missed and breached
            </Title>
            <FailuresTable tenantId={tenantId} report={data} />
          </>
        )}
      </Stack>
    </Paper>
  );
}
