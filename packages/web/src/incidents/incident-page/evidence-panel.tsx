/** Evidence of the incident: what, from where, by whom, and its SHA-256 (checked on every download). */
import { Anchor, Code, Table, Text } from '@mantine/core';
import { EmptyState, ErrorState, LoadingState } from '../../shared/query-states.tsx';
import { useIncidentEvidence } from '../use-incidents.ts';

export function EvidencePanel({
  tenantId,
  incidentId,
}: {
  readonly tenantId: string;
  readonly incidentId: string;
}) {
  const evidence = useIncidentEvidence(tenantId, incidentId);
  if (evidence.isPending) return <LoadingState label="Loading evidence…" />;
  if (evidence.error) return <ErrorState error={evidence.error} />;
  if (evidence.data.items.length === 0)
    return (
      <EmptyState title="No evidence collected">
        Upload with <code>cordon evidence add</code> or the API.
      </EmptyState>
    );
  return (
    <>
      <Text size="sm" mb="xs">
        The server recomputes each file&apos;s SHA-256 when it is downloaded and refuses one that no
        longer matches.
      </Text>
      <Table aria-label="Evidence" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">File</Table.Th>
            <Table.Th scope="col">Collected from</Table.Th>
            <Table.Th scope="col">Collected by</Table.Th>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">SHA-256</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {evidence.data.items.map((item) => (
            <Table.Tr key={item.id}>
              <Table.Td>
                <Anchor
                  href={`/api/v1/tenants/${tenantId}/evidence/${item.id}/content`}
                  aria-label={`Download ${item.filename}`}
                >
                  {item.filename}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {item.size.toLocaleString()} bytes · {item.method}
                </Text>
              </Table.Td>
              <Table.Td>{item.collectedFrom}</Table.Td>
              <Table.Td>{item.collectedBy}</Table.Td>
              <Table.Td>{new Date(item.collectedAt).toLocaleString()}</Table.Td>
              <Table.Td>
                <Code>{item.sha256.slice(0, 16)}…</Code>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
