/** The incident's journal entries, in order, each with its place in the tenant's hash chain. */
import { Code, Table } from '@mantine/core';
import { EmptyState, ErrorState, LoadingState } from '../../shared/query-states.tsx';
import { useIncidentJournal } from '../use-incidents.ts';

export function JournalPanel({
  tenantId,
  incidentId,
}: {
  readonly tenantId: string;
  readonly incidentId: string;
}) {
  const journal = useIncidentJournal(tenantId, incidentId);
  if (journal.isPending) return <LoadingState label="Loading the journal…" />;
  if (journal.error) return <ErrorState error={journal.error} />;
  if (journal.data.length === 0) return <EmptyState title="No journal entries" />;
  return (
    <Table aria-label="Journal entries" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">#</Table.Th>
          <Table.Th scope="col">When</Table.Th>
          <Table.Th scope="col">Who</Table.Th>
          <Table.Th scope="col">What</Table.Th>
          <Table.Th scope="col">Hash</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {journal.data.map((entry) => (
          <Table.Tr key={entry.seq}>
            <Table.Td>{entry.seq}</Table.Td>
            <Table.Td>{new Date(entry.at).toLocaleString()}</Table.Td>
            <Table.Td>{entry.actor}</Table.Td>
            <Table.Td>{entry.kind}</Table.Td>
            <Table.Td>
              <Code>{entry.hash.slice(0, 12)}</Code>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
