/**
 * The whole network of a tenant: its segments with how many assets each holds, the map of
 * assets by segment with their relations and redundancy groups, and the same facts as tables
 * for keyboard and screen reader. Bounded for any inventory: the server draws at most the
 * chosen number of assets (the most critical first) and says how many it left out; a segment
 * filter narrows the map. Segment and limit are in the URL.
 */
import { Alert, Anchor, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '../shared/query-states.tsx';
import { NetworkGraph } from './network-graph.tsx';
import { layOutNetwork } from './network-layout.ts';
import { RELATION_LABEL } from './relation-graph.tsx';
import type { NetworkMap } from './use-network.ts';
import { DEFAULT_NODE_LIMIT, NODE_LIMITS, useNetwork } from './use-network.ts';

/** The links table lists at most this many; the map draws them all. */
const MAX_LISTED_RELATIONS = 300;

function SegmentsTable({ tenantId, map }: { readonly tenantId: string; readonly map: NetworkMap }) {
  return (
    <Table aria-label="Segments" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Segment</Table.Th>
          <Table.Th scope="col">Network</Table.Th>
          <Table.Th scope="col">Zone</Table.Th>
          <Table.Th scope="col">Assets</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {map.segments.map(({ segment, assets }) => (
          <Table.Tr key={segment.id}>
            <Table.Th scope="row" fw={500}>
              <Anchor component={Link} to={`?segment=${segment.id}`}>
                {segment.name}
              </Anchor>
            </Table.Th>
            <Table.Td>{segment.cidr}</Table.Td>
            <Table.Td>{segment.zone}</Table.Td>
            <Table.Td>
              <Anchor
                component={Link}
                to={`/t/${tenantId}/assets?segment=${segment.id}`}
                aria-label={`${assets} assets in ${segment.name} in the inventory`}
              >
                {assets.toLocaleString()}
              </Anchor>
            </Table.Td>
          </Table.Tr>
        ))}
        {map.unsegmented > 0 && (
          <Table.Tr>
            <Table.Th scope="row" fw={500}>
              <Anchor component={Link} to="?segment=none">
                Outside every segment
              </Anchor>
            </Table.Th>
            <Table.Td>—</Table.Td>
            <Table.Td>—</Table.Td>
            <Table.Td>{map.unsegmented.toLocaleString()}</Table.Td>
          </Table.Tr>
        )}
      </Table.Tbody>
    </Table>
  );
}

function GroupsAndLinks({ map }: { readonly map: NetworkMap }) {
  const name = new Map(map.nodes.map((n) => [n.id, n.name]));
  const listed = map.relations.slice(0, MAX_LISTED_RELATIONS);
  return (
    <Group align="flex-start" gap="xl" wrap="wrap">
      <Stack gap={4} miw={280}>
        <Title order={2} size="h5">
          Redundancy groups
        </Title>
        {map.redundancyGroups.length === 0 ? (
          <Text size="sm">No redundancy group among the assets shown.</Text>
        ) : (
          <Table aria-label="Redundancy groups" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Group</Table.Th>
                <Table.Th scope="col">Members shown</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {map.redundancyGroups.map((g) => (
                <Table.Tr key={g.name}>
                  <Table.Th scope="row" fw={500}>
                    {g.name}
                  </Table.Th>
                  <Table.Td>
                    {g.assetIds.map((id) => name.get(id) ?? id).join(', ')}
                    {g.assetIds.length === 1 ? ' (no peer shown: a single point of failure?)' : ''}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      <Stack gap={4} miw={360}>
        <Title order={2} size="h5">
          Relations
        </Title>
        {map.relations.length === 0 ? (
          <Text size="sm">No relation between the assets shown.</Text>
        ) : (
          <Table aria-label="Relations between the assets shown" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">From</Table.Th>
                <Table.Th scope="col">Relation</Table.Th>
                <Table.Th scope="col">To</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {listed.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{name.get(r.fromAssetId)}</Table.Td>
                  <Table.Td>{RELATION_LABEL[r.kind]}</Table.Td>
                  <Table.Td>{name.get(r.toId)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {map.relations.length > listed.length && (
          <Text size="xs">
            {listed.length} of {map.relations.length} relations listed; pick a segment to see the
            rest.
          </Text>
        )}
      </Stack>
    </Group>
  );
}

export function NetworkScreen() {
  const { tenantId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const segment = params.get('segment') ?? undefined;
  const limitParam = Number(params.get('limit'));
  const limit = (NODE_LIMITS as readonly number[]).includes(limitParam)
    ? limitParam
    : DEFAULT_NODE_LIMIT;
  const network = useNetwork(tenantId, segment, limit);
  const layout = useMemo(
    () => (network.data ? layOutNetwork(network.data) : undefined),
    [network.data],
  );
  const setFilter = (changes: { segment?: string | null; limit?: number }) => {
    const next = new URLSearchParams(params);
    if (changes.segment !== undefined) {
      if (changes.segment) next.set('segment', changes.segment);
      else next.delete('segment');
    }
    if (changes.limit !== undefined) next.set('limit', String(changes.limit));
    setParams(next);
  };
  const segmentOptions = [
    ...(network.data?.segments ?? []).map(({ segment: s }) => ({
      value: s.id,
      label: `${s.name} (${s.cidr})`,
    })),
    { value: 'none', label: 'Outside every segment' },
  ];
  const map = network.data;
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h3">
          Network
        </Title>
        <Anchor component={Link} to={`/t/${tenantId}/assets`} size="sm">
          The inventory as a table
        </Anchor>
      </Group>
      <Group gap="sm" align="flex-end" role="search" aria-label="Network filters">
        <Select
          label="Segment"
          placeholder="Every segment"
          data={segmentOptions}
          value={segment ?? null}
          onChange={(v) => setFilter({ segment: v })}
          clearable
          size="sm"
          w={260}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label="Assets drawn at most"
          data={NODE_LIMITS.map((n) => ({ value: String(n), label: String(n) }))}
          value={String(limit)}
          onChange={(v) => v && setFilter({ limit: Number(v) })}
          allowDeselect={false}
          size="sm"
          w={200}
          comboboxProps={{ withinPortal: true }}
        />
      </Group>
      {network.isPending ? (
        <LoadingState label="Loading the network…" />
      ) : network.error ? (
        <ErrorState error={network.error} retry={() => void network.refetch()} />
      ) : !map || !layout ? null : (
        <>
          {map.total > map.nodes.length && (
            <Alert
              color="yellow"
              role="status"
              title={`Showing ${map.nodes.length} of ${map.total.toLocaleString()} assets`}
            >
              The most critical first; relations to the assets left out are not drawn. Pick a
              segment, or draw more (up to {NODE_LIMITS.at(-1)}).
            </Alert>
          )}
          {map.nodes.length === 0 ? (
            <EmptyState title="No assets to draw">
              {map.segments.length === 0 && map.unsegmented === 0
                ? 'Nothing is documented yet: import an inventory on the Preparation screen.'
                : 'No unretired asset sits in this segment.'}
            </EmptyState>
          ) : (
            <NetworkGraph tenantId={tenantId} map={map} layout={layout} />
          )}
          <Title order={2} size="h5">
            Segments
          </Title>
          <SegmentsTable tenantId={tenantId} map={map} />
          <GroupsAndLinks map={map} />
        </>
      )}
    </Stack>
  );
}
