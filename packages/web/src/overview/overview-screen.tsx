/**
 * The MSSP overview: every tenant the user may see, with what needs attention — open
 * incidents by severity and phase, alerts waiting for triage, containment actions waiting for
 * approval, agents offline, and the last recorded readiness score. One request
 * (`GET /api/v1/overview`), answered from aggregates, whatever the size of the store.
 */
import { Anchor, Badge, Group, Table, Text, Title } from '@mantine/core';
import { plural } from '../shared/plural.ts';
import { Link } from 'react-router';
import type { TenantOverview } from '../api/api-types.ts';
import { PHASES, PHASE_LABEL, SEVERITIES } from '../api/vocabulary.ts';
import { LevelBadge } from '../shared/level-badge.tsx';
import { EmptyState, ErrorState, LoadingState } from '../shared/query-states.tsx';
import { useOverview } from './use-overview.ts';

type Counts = Readonly<Record<string, number>>;

function SeverityCounts({ row }: { readonly row: TenantOverview }) {
  const bySeverity = row.incidents.bySeverity as Counts;
  if (row.incidents.open === 0) return <Text size="sm">none open</Text>;
  return (
    <Group gap={4}>
      {SEVERITIES.filter((s) => (bySeverity[s] ?? 0) > 0).map((s) => (
        <LevelBadge key={s} level={s}>{`${bySeverity[s]} ${s}`}</LevelBadge>
      ))}
    </Group>
  );
}

function PhaseCounts({ row }: { readonly row: TenantOverview }) {
  const byPhase = row.incidents.byPhase as Counts;
  const open = PHASES.filter((p) => (byPhase[p] ?? 0) > 0);
  if (open.length === 0) return <Text size="sm">—</Text>;
  return <Text size="sm">{open.map((p) => `${PHASE_LABEL[p]} ${byPhase[p]}`).join(' · ')}</Text>;
}

function Readiness({ readiness }: { readonly readiness: TenantOverview['readiness'] }) {
  if (readiness === null) return <Text size="sm">not recorded</Text>;
  const color = readiness.score >= 80 ? 'green' : readiness.score >= 50 ? 'yellow' : 'red';
  return (
    <Badge
      color={color}
      variant="light"
      title={`recorded ${new Date(readiness.recordedAt).toLocaleString()}`}
    >
      {readiness.score.toFixed(0)} / 100
    </Badge>
  );
}

export function OverviewScreen() {
  const overview = useOverview();
  return (
    <>
      <Title order={1} size="h3" mb="md">
        Overview
      </Title>
      {overview.isPending ? (
        <LoadingState label="Loading the overview…" />
      ) : overview.error ? (
        <ErrorState error={overview.error} retry={() => void overview.refetch()} />
      ) : overview.data.tenants.length === 0 ? (
        <EmptyState title="No tenants yet">
          A platform admin creates tenants with <code>cordon tenant create</code> or the API.
        </EmptyState>
      ) : (
        <>
          <Text size="sm" mb="sm">
            {plural(overview.data.totals.tenants, 'tenant')} ·{' '}
            {plural(overview.data.totals.openIncidents, 'open incident')} ·{' '}
            {plural(overview.data.totals.alertsAwaitingTriage, 'alert')} awaiting triage ·{' '}
            {plural(overview.data.totals.actionsAwaitingApproval, 'action')} awaiting approval ·{' '}
            {plural(overview.data.totals.agentsOffline, 'agent')} offline
          </Text>
          <Table striped highlightOnHover verticalSpacing="sm" aria-label="Tenants">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Tenant</Table.Th>
                <Table.Th scope="col">Open incidents</Table.Th>
                <Table.Th scope="col">By phase</Table.Th>
                <Table.Th scope="col">Alerts awaiting triage</Table.Th>
                <Table.Th scope="col">Actions awaiting approval</Table.Th>
                <Table.Th scope="col">Agents offline</Table.Th>
                <Table.Th scope="col">Readiness</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {overview.data.tenants.map((row) => {
                const alerts = `${row.alerts.awaitingTriage}${row.alerts.awaitingTriageIsLowerBound ? '+' : ''}`;
                return (
                  <Table.Tr key={row.tenantId}>
                    <Table.Th scope="row">
                      <Anchor component={Link} to={`/t/${row.tenantId}/incidents`}>
                        {row.tenantName}
                      </Anchor>
                      {row.demo && (
                        <Badge ml="xs" size="xs" variant="outline">
                          demo data
                        </Badge>
                      )}
                    </Table.Th>
                    <Table.Td>
                      <Group gap="xs">
                        <Text fw={600} size="sm">
                          {row.incidents.open}
                        </Text>
                        <SeverityCounts row={row} />
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <PhaseCounts row={row} />
                    </Table.Td>
                    <Table.Td>
                      <Anchor
                        component={Link}
                        to={`/t/${row.tenantId}/alerts?status=open`}
                        aria-label={`${alerts} ${row.alerts.awaitingTriage === 1 && !row.alerts.awaitingTriageIsLowerBound ? 'alert' : 'alerts'} awaiting triage at ${row.tenantName}`}
                      >
                        {alerts}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={row.actions.awaitingApproval > 0 ? 700 : 400}>
                        {row.actions.awaitingApproval}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {row.agents.offline} of {row.agents.total}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Readiness readiness={row.readiness} />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </>
      )}
    </>
  );
}
