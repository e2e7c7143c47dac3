/**
 * One asset: what is documented about it, what stops if it goes offline, and its relations
 * drawn as a small network around it (and listed, with links, for the keyboard).
 */
import { Anchor, Badge, Grid, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { LevelBadge } from '../shared/level-badge.tsx';
import { ErrorState, LoadingState } from '../shared/query-states.tsx';
import { AssetImpactPanel } from './asset-impact-panel.tsx';
import type { Neighbour } from './relation-graph.tsx';
import { RELATION_LABEL, RelationGraph } from './relation-graph.tsx';
import type { Asset } from './use-assets.ts';
import {
  useAsset,
  useAssetRelations,
  useAssetNames,
  useBusinessFunctions,
  useSegments,
} from './use-assets.ts';

function Facts({ asset, segment }: { asset: Asset; segment: string }) {
  const rows: [string, string][] = [
    ['Kind', asset.kind],
    ['Addresses', asset.addresses.join(', ') || '—'],
    ['Owner', asset.owner ?? '—'],
    ['Segment', segment],
    ['Redundancy group', asset.redundancyGroup ?? '—'],
    ['Agent', asset.agentInstalled ? 'installed' : 'none'],
    ['Operating system', asset.os ?? '—'],
    ['Location', asset.location ?? '—'],
    [
      'Status',
      asset.retiredAt
        ? `retired ${new Date(asset.retiredAt).toLocaleDateString()}`
        : asset.operationalStatus,
    ],
    [
      'Last seen in telemetry',
      asset.lastSeenAt ? new Date(asset.lastSeenAt).toLocaleString() : 'never',
    ],
  ];
  return (
    <Table aria-label="Asset facts" withRowBorders={false} verticalSpacing={4}>
      <Table.Tbody>
        {rows.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Th scope="row" w={190}>
              {k}
            </Table.Th>
            <Table.Td>{v}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function AssetScreen() {
  const { tenantId = '', assetId = '' } = useParams();
  const asset = useAsset(tenantId, assetId);
  const relations = useAssetRelations(tenantId, assetId);
  const functions = useBusinessFunctions(tenantId);
  const segments = useSegments(tenantId);
  // Only the neighbours are named (not the whole inventory fetched to name a few of it).
  const neighbourAssets = useMemo(() => {
    if (!functions.data) return [];
    const functionIds = new Set(functions.data.map((f) => f.id));
    const ids = (relations.data ?? []).map((r) => (r.toId === assetId ? r.fromAssetId : r.toId));
    return [...new Set(ids)].filter((id) => !functionIds.has(id));
  }, [relations.data, functions.data, assetId]);
  const assetNames = useAssetNames(tenantId, neighbourAssets);

  const neighbours = useMemo<Neighbour[]>(() => {
    const names = new Map<string, string>([
      ...assetNames,
      ...(functions.data ?? []).map((f) => [f.id, f.name] as const),
    ]);
    return (relations.data ?? []).map((relation) => {
      const inbound = relation.toId === assetId;
      const id = inbound ? relation.fromAssetId : relation.toId;
      return { id, name: names.get(id) ?? id.slice(0, 8), relation, inbound };
    });
  }, [relations.data, assetNames, functions.data, assetId]);

  if (asset.isPending) return <LoadingState label="Loading the asset…" />;
  if (asset.error) return <ErrorState error={asset.error} retry={() => void asset.refetch()} />;
  const a = asset.data;
  const segment = segments.data?.find((s) => s.id === a.segmentId);

  return (
    <Stack gap="md">
      <Anchor component={Link} to={`/t/${tenantId}/assets`} size="sm">
        ← All assets
      </Anchor>
      <Group gap="sm">
        <Title order={1} size="h3">
          {a.name}
        </Title>
        <LevelBadge level={a.criticality}>{`criticality: ${a.criticality}`}</LevelBadge>
        {a.tags.map((t) => (
          <Badge key={t} variant="outline" size="sm" c="dark.9">
            {t}
          </Badge>
        ))}
      </Group>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Facts
            asset={a}
            segment={segment ? `${segment.name} (${segment.cidr}, ${segment.zone})` : '—'}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <AssetImpactPanel tenantId={tenantId} assetId={assetId} />
        </Grid.Col>
      </Grid>
      <Stack gap="xs" component="section" aria-labelledby="relations-heading">
        <Title order={2} size="h4" id="relations-heading">
          Relations
        </Title>
        {relations.isPending ? (
          <LoadingState label="Loading relations…" />
        ) : relations.error ? (
          <ErrorState error={relations.error} />
        ) : neighbours.length === 0 ? (
          <Text size="sm">No relations documented.</Text>
        ) : (
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <RelationGraph name={a.name} neighbours={neighbours} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <Table aria-label="Relations" withRowBorders>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">From</Table.Th>
                    <Table.Th scope="col">Relation</Table.Th>
                    <Table.Th scope="col">To</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {neighbours.map((n) => {
                    const other =
                      n.relation.kind === 'runs_function' ? (
                        <Text size="sm" span>
                          {n.name} (function)
                        </Text>
                      ) : (
                        <Anchor component={Link} to={`/t/${tenantId}/assets/${n.id}`} size="sm">
                          {n.name}
                        </Anchor>
                      );
                    return (
                      <Table.Tr key={n.relation.id}>
                        <Table.Td>{n.inbound ? other : a.name}</Table.Td>
                        <Table.Td>{RELATION_LABEL[n.relation.kind]}</Table.Td>
                        <Table.Td>{n.inbound ? a.name : other}</Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Grid.Col>
          </Grid>
        )}
      </Stack>
    </Stack>
  );
}
