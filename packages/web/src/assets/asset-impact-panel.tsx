/** What stops if the asset goes offline (`GET …/assets/:id/impact`): peers, dependents, functions, cost. */
import { Alert, Anchor, Badge, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { ErrorState, LoadingState } from '../shared/query-states.tsx';
import { useAssetImpact } from './use-assets.ts';

function duration(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 1440) return `${Math.round((minutes / 60) * 10) / 10} h`;
  return `${Math.round((minutes / 1440) * 10) / 10} d`;
}

export function AssetImpactPanel({ tenantId, assetId }: { tenantId: string; assetId: string }) {
  const impact = useAssetImpact(tenantId, assetId);
  if (impact.isPending) return <LoadingState label="Working out the impact…" />;
  if (impact.error) return <ErrorState error={impact.error} retry={() => void impact.refetch()} />;
  const { peers, peerCanCarryLoad, dependentAssets, functions, shortestMtdMinutes, costPerHour } =
    impact.data;
  const stopping = functions.filter((f) => f.stops);
  return (
    <Stack gap="xs" component="section" aria-labelledby="impact-heading">
      <Title order={2} size="h4" id="impact-heading">
        If it goes offline
      </Title>
      <Alert
        color={stopping.length > 0 ? 'red' : 'teal'}
        title={
          stopping.length > 0
            ? `${stopping.length} business ${stopping.length === 1 ? 'function stops' : 'functions stop'}`
            : 'No business function stops'
        }
      >
        <Text size="sm">
          Estimated cost {costPerHour.toLocaleString(undefined, { maximumFractionDigits: 0 })} per
          hour offline
          {shortestMtdMinutes !== null &&
            ` · shortest tolerable downtime ${duration(shortestMtdMinutes)}`}
          {peers.length > 0 &&
            ` · ${peerCanCarryLoad ? 'a healthy peer can carry the load' : 'no healthy peer can carry the load'}`}
        </Text>
      </Alert>
      <Table aria-label="Business functions affected" withRowBorders>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Function</Table.Th>
            <Table.Th scope="col">Tolerable downtime</Table.Th>
            <Table.Th scope="col">Cost per hour</Table.Th>
            <Table.Th scope="col">Outcome</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {functions.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={4}>
                <Text size="sm" c="dimmed">
                  No business function needs this asset.
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : (
            functions.map((f) => (
              <Table.Tr key={`${f.functionId}-${f.viaAssetId}`}>
                <Table.Th scope="row">{f.name}</Table.Th>
                <Table.Td>{duration(f.mtdMinutes)}</Table.Td>
                <Table.Td>{f.costPerHour.toLocaleString()}</Table.Td>
                <Table.Td>
                  <Badge color={f.stops ? 'red' : 'teal'} variant="light" c="dark.9" size="sm">
                    {f.stops ? 'stops' : 'continues'}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))
          )}
        </Table.Tbody>
      </Table>
      <Group align="flex-start" gap="xl">
        <Stack gap={4}>
          <Title order={3} size="h5">
            Redundancy peers
          </Title>
          {peers.length === 0 ? (
            <Text size="sm">None: nothing takes over.</Text>
          ) : (
            <List size="sm" aria-label="Redundancy peers">
              {peers.map((p) => (
                <List.Item key={p.assetId}>
                  <Anchor component={Link} to={`/t/${tenantId}/assets/${p.assetId}`} size="sm">
                    {p.name}
                  </Anchor>{' '}
                  ({p.healthy ? 'healthy' : 'not healthy'})
                </List.Item>
              ))}
            </List>
          )}
        </Stack>
        <Stack gap={4}>
          <Title order={3} size="h5">
            Assets that depend on it
          </Title>
          {dependentAssets.length === 0 ? (
            <Text size="sm">None documented.</Text>
          ) : (
            <List size="sm" aria-label="Dependent assets">
              {dependentAssets.map((d) => (
                <List.Item key={d.assetId}>
                  <Anchor component={Link} to={`/t/${tenantId}/assets/${d.assetId}`} size="sm">
                    {d.name}
                  </Anchor>
                </List.Item>
              ))}
            </List>
          )}
        </Stack>
      </Group>
    </Stack>
  );
}
