/**
 * The contract as the client reads it: the SLA targets per severity (business hours or 24×7,
 * in the tenant's time zone) and the notification regimes that apply, each with its
 * obligations and the legal text they come from.
 */
import { Grid, Paper, Table, Text, Title } from '@mantine/core';
import { EmptyState, ErrorState, LoadingState } from '../shared/query-states.tsx';
import type { RegulatoryRegime, TenantContract } from './use-service.ts';
import { useContract, useRegimeCatalogue } from './use-service.ts';

const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

function minutes(value: number | undefined): string {
  if (value === undefined) return '—';
  return value % 60 === 0 ? `${value / 60} h` : `${value} min`;
}

function TargetsTable({ sla }: { readonly sla: NonNullable<TenantContract['sla']> }) {
  return (
    <Table verticalSpacing={4} aria-label="SLA targets">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Severity</Table.Th>
          <Table.Th scope="col">Acknowledge</Table.Th>
          <Table.Th scope="col">Contain</Table.Th>
          <Table.Th scope="col">Resolve</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {SEVERITIES.filter((s) => sla.targets[s]).map((severity) => {
          const t = sla.targets[severity] ?? {};
          return (
            <Table.Tr key={severity}>
              <Table.Th scope="row">{severity}</Table.Th>
              <Table.Td>{minutes(t.acknowledge)}</Table.Td>
              <Table.Td>{minutes(t.contain)}</Table.Td>
              <Table.Td>{minutes(t.resolve)}</Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

function RegimesTable({ regimes }: { readonly regimes: readonly RegulatoryRegime[] }) {
  return (
    <Table striped verticalSpacing="xs" aria-label="Regulatory regimes">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Regime</Table.Th>
          <Table.Th scope="col">Jurisdiction</Table.Th>
          <Table.Th scope="col">Obligations</Table.Th>
          <Table.Th scope="col">Reference</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {regimes.map((regime) => (
          <Table.Tr key={regime.id}>
            <Table.Th scope="row">{regime.title}</Table.Th>
            <Table.Td>{regime.jurisdiction}</Table.Td>
            <Table.Td>
              {regime.obligations.map((o) => (
                <Text size="sm" key={o.id}>
                  {o.title} → {o.recipient}
                </Text>
              ))}
            </Table.Td>
            <Table.Td>
              <Text size="sm">{regime.reference}</Text>
              {regime.note && (
                <Text size="xs" c="dimmed">
                  {regime.note}
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The tenant's own entries first, then the catalogue's, in the contract's order. */
function applicable(contract: TenantContract, catalogue: readonly RegulatoryRegime[]) {
  return contract.regimes.flatMap((id) => {
    const regime =
      contract.customRegimes.find((r) => r.id === id) ?? catalogue.find((r) => r.id === id);
    return regime ? [regime] : [];
  });
}

export function RegimesPanel({ tenantId }: { readonly tenantId: string }) {
  const contract = useContract(tenantId);
  const catalogue = useRegimeCatalogue();
  if (contract.isPending || catalogue.isPending)
    return <LoadingState label="Loading the contract…" />;
  if (contract.error)
    return <ErrorState error={contract.error} retry={() => void contract.refetch()} />;
  if (catalogue.error)
    return <ErrorState error={catalogue.error} retry={() => void catalogue.refetch()} />;
  if (contract.data === null)
    return (
      <EmptyState title="No contract">
        The MSSP has not set this tenant&apos;s contract yet: no SLA and no regime applies.
      </EmptyState>
    );
  const { data } = contract;
  const regimes = applicable(data, catalogue.data.regimes);
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <Paper withBorder p="sm">
          <Title order={2} size="h4" mb="xs">
            Contract
          </Title>
          <Text size="sm" mb="xs">
            Version {data.version}, time zone {data.calendar.timeZone}
            {data.sla
              ? `, ${data.sla.clock === 'always' ? '24×7' : 'business hours'}, at risk at ${Number((data.sla.atRiskShare * 100).toPrecision(2))} % of a target`
              : ', no SLA'}
          </Text>
          {data.sla && <TargetsTable sla={data.sla} />}
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <Paper withBorder p="sm">
          <Title order={2} size="h4" mb="xs">
            Regulatory regimes
          </Title>
          {regimes.length === 0 ? (
            <Text size="sm">No notification regime applies to this tenant.</Text>
          ) : (
            <RegimesTable regimes={regimes} />
          )}
        </Paper>
      </Grid.Col>
    </Grid>
  );
}
