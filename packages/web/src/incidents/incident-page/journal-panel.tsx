/**
 * The incident's journal entries, in order, a page at a time, and how far the tenant's hash
 * chain behind them holds (`GET …/incidents/:id/journal` checks each page: every entry from the
 * page's first to the checkpoint that signs its last links and matches its hash, and that
 * checkpoint's signature holds). Said in words, not colour alone.
 */
import { Alert, Button, Code, Group, Stack, Table, Text } from '@mantine/core';
import type { JournalChainStatus } from '../../api/api-types.ts';
import { EmptyState, ErrorState, LoadingState } from '../../shared/query-states.tsx';
import { useIncidentJournal } from '../use-incidents.ts';

/** One status for the pages shown: a break anywhere wins, else the newest page's. */
function overall(statuses: readonly JournalChainStatus[]): JournalChainStatus | undefined {
  return statuses.find((s) => s.kind === 'broken') ?? statuses.at(-1);
}

function ChainStatus({ status }: { readonly status: JournalChainStatus }) {
  switch (status.kind) {
    case 'empty':
      return null;
    case 'verified':
      return (
        <Alert
          color="green"
          role="status"
          title={`Chain verified to checkpoint ${status.checkpointNumber ?? `at entry ${status.toSeq}`} at ${new Date(status.checkpointAt).toLocaleString()}`}
        >
          Entries {status.fromSeq}–{status.toSeq} link to each other and match their hashes; the
          checkpoint at entry {status.toSeq} is signed by this server.
        </Alert>
      );
    case 'uncovered':
      return (
        <Alert color="yellow" role="status" title="Entries not yet covered by a checkpoint">
          Entries {status.fromSeq}–{status.toSeq} link to each other up to the head
          {status.coveredToSeq === null
            ? '; no checkpoint is signed yet'
            : `; the latest checkpoint signs entry ${status.coveredToSeq}`}
          . The server signs the next one within seconds.
        </Alert>
      );
    case 'too_long':
      return (
        <Alert color="gray" role="status" title="Not checked here">
          Entries {status.fromSeq}–{status.toSeq} are more than {status.limit} to read for one page;{' '}
          <Code>cordon verify</Code> checks the whole journal.
        </Alert>
      );
    case 'broken':
      return (
        <Alert color="red" variant="filled" role="alert" title={`BROKEN at entry ${status.seq}`}>
          {status.reason}
        </Alert>
      );
  }
}

export function JournalPanel({
  tenantId,
  incidentId,
}: {
  readonly tenantId: string;
  readonly incidentId: string;
}) {
  const journal = useIncidentJournal(tenantId, incidentId);
  if (journal.isPending) return <LoadingState label="Loading the journal…" />;
  if (journal.error)
    return <ErrorState error={journal.error} retry={() => void journal.refetch()} />;
  const entries = journal.data.pages.flatMap((p) => p.items);
  if (entries.length === 0) return <EmptyState title="No journal entries" />;
  const status = overall(journal.data.pages.map((p) => p.chain));
  return (
    <Stack gap="sm">
      {status && <ChainStatus status={status} />}
      <Group gap="sm">
        <Text size="xs">
          {entries.length} {entries.length === 1 ? 'entry' : 'entries'} shown
          {journal.hasNextPage ? ' (more below)' : ''}
        </Text>
      </Group>
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
          {entries.map((entry) => (
            <Table.Tr key={entry.seq}>
              <Table.Td>{entry.seq}</Table.Td>
              <Table.Td>{new Date(entry.at).toLocaleString()}</Table.Td>
              <Table.Td>{entry.actor}</Table.Td>
              <Table.Td>{entry.kind}</Table.Td>
              <Table.Td>
                <Code title={entry.hash}>{entry.hash.slice(0, 12)}</Code>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {journal.hasNextPage && (
        <Button
          variant="default"
          w="fit-content"
          loading={journal.isFetchingNextPage}
          onClick={() => void journal.fetchNextPage()}
        >
          Load more entries
        </Button>
      )}
    </Stack>
  );
}
