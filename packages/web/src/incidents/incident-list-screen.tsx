/** Incidents of a tenant: filters in the URL, server-side paging and total, newest first. */
import { Anchor, Group, Pagination, Select, Stack, Table, Text, Title } from '@mantine/core';
import { plural } from '../shared/plural.ts';
import { Link, useParams, useSearchParams } from 'react-router';
import { PHASES, PHASE_LABEL, SEVERITIES, isPhase, isSeverity } from '../api/vocabulary.ts';
import { EmptyState, ErrorState, LoadingState } from '../shared/query-states.tsx';
import type { IncidentFilters } from './use-incidents.ts';
import { INCIDENT_PAGE, useIncidents } from './use-incidents.ts';
import { LevelBadge } from '../shared/level-badge.tsx';

function useIncidentFilters(): [IncidentFilters, (changes: Partial<IncidentFilters>) => void] {
  const [params, setParams] = useSearchParams();
  const phase = params.get('phase');
  const severity = params.get('severity');
  const filters: IncidentFilters = {
    phase: isPhase(phase) ? phase : undefined,
    severity: isSeverity(severity) ? severity : undefined,
    page: Math.max(1, Number(params.get('page') ?? '1') || 1),
  };
  const update = (changes: Partial<IncidentFilters>) => {
    const next = { ...filters, ...('page' in changes ? {} : { page: 1 }), ...changes };
    const out = new URLSearchParams();
    if (next.phase) out.set('phase', next.phase);
    if (next.severity) out.set('severity', next.severity);
    if (next.page > 1) out.set('page', String(next.page));
    setParams(out);
  };
  return [filters, update];
}

export function IncidentListScreen() {
  const { tenantId = '' } = useParams();
  const [filters, setFilters] = useIncidentFilters();
  const incidents = useIncidents(tenantId, filters);
  const total = incidents.data?.total ?? 0;

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h3">
          Incidents
        </Title>
        <Text size="sm" aria-live="polite">
          {incidents.data ? plural(total, 'incident') : ''}
        </Text>
      </Group>
      <Group gap="sm" role="search" aria-label="Incident filters">
        <Select
          label="Phase"
          placeholder="Any phase"
          data={PHASES.map((p) => ({ value: p, label: PHASE_LABEL[p] }))}
          value={filters.phase ?? null}
          onChange={(v) => setFilters({ phase: isPhase(v) ? v : undefined })}
          clearable
          size="sm"
          w={170}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label="Severity"
          placeholder="Any severity"
          data={SEVERITIES.map((s) => ({ value: s, label: s }))}
          value={filters.severity ?? null}
          onChange={(v) => setFilters({ severity: isSeverity(v) ? v : undefined })}
          clearable
          size="sm"
          w={170}
          comboboxProps={{ withinPortal: true }}
        />
      </Group>
      {incidents.isPending ? (
        <LoadingState label="Loading incidents…" />
      ) : incidents.error ? (
        <ErrorState error={incidents.error} retry={() => void incidents.refetch()} />
      ) : incidents.data.items.length === 0 ? (
        <EmptyState title="No incidents match">
          {filters.phase || filters.severity
            ? 'Change or clear the filters.'
            : 'Triage an alert into an incident from the alert queue.'}
        </EmptyState>
      ) : (
        <>
          <Table striped highlightOnHover aria-label="Incidents">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Reference</Table.Th>
                <Table.Th scope="col">Title</Table.Th>
                <Table.Th scope="col">Severity</Table.Th>
                <Table.Th scope="col">Phase</Table.Th>
                <Table.Th scope="col">Opened</Table.Th>
                <Table.Th scope="col">Updated</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {incidents.data.items.map((incident) => (
                <Table.Tr key={incident.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/t/${tenantId}/incidents/${incident.id}`}>
                      {incident.reference}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{incident.title}</Table.Td>
                  <Table.Td>
                    <LevelBadge level={incident.severity} />
                  </Table.Td>
                  <Table.Td>{PHASE_LABEL[incident.phase]}</Table.Td>
                  <Table.Td>{new Date(incident.createdAt).toLocaleString()}</Table.Td>
                  <Table.Td>{new Date(incident.updatedAt).toLocaleString()}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {total > INCIDENT_PAGE && (
            <Pagination
              total={Math.ceil(total / INCIDENT_PAGE)}
              value={filters.page}
              onChange={(page) => setFilters({ page })}
              getControlProps={(control) => ({ 'aria-label': `${control} page` })}
            />
          )}
        </>
      )}
    </Stack>
  );
}
