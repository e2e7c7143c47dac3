/**
 * The asset inventory: documented assets with criticality, owner, segment, the business
 * functions that need it and whether an agent runs on it; filters in the URL, applied by the
 * server, which sends the list a page at a time (the next as the table nears its end).
 */
import { Group, Select, Stack, Text, Title } from '@mantine/core';
import { useCallback, useMemo } from 'react';
import { useParams } from 'react-router';
import { DebouncedTextFilter } from '../shared/debounced-text-filter.tsx';
import { EmptyState, ErrorState, LoadingState } from '../shared/query-states.tsx';
import { CRITICALITIES, useAssetFilters } from './asset-filters.ts';
import type { AssetRow } from './asset-table.tsx';
import { AssetTable } from './asset-table.tsx';
import { useAssetPages, useBusinessFunctions, useSegments } from './use-assets.ts';

export function AssetListScreen() {
  const { tenantId = '' } = useParams();
  const [filters, setFilters] = useAssetFilters();
  const assets = useAssetPages(tenantId, filters);
  const segments = useSegments(tenantId);
  const functions = useBusinessFunctions(tenantId);

  const rows = useMemo<AssetRow[]>(() => {
    const segmentName = new Map((segments.data ?? []).map((s) => [s.id, s.name]));
    const functionsOf = new Map<string, string[]>();
    for (const f of functions.data ?? []) {
      for (const id of f.assetIds) functionsOf.set(id, [...(functionsOf.get(id) ?? []), f.name]);
    }
    return (assets.data?.pages ?? []).flatMap((page) =>
      page.items.map((asset) => ({
        asset,
        segment: asset.segmentId ? (segmentName.get(asset.segmentId) ?? '—') : '—',
        functions: (functionsOf.get(asset.id) ?? []).join(', '),
      })),
    );
  }, [assets.data, segments.data, functions.data]);
  const first = assets.data?.pages[0];
  const filtered = filters.text !== undefined || filters.criticality || filters.segment;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = assets;
  const nearEnd = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h3">
          Assets
        </Title>
        <Text size="sm" aria-live="polite">
          {first
            ? `${rows.length.toLocaleString()} of ${first.total.toLocaleString()}${first.totalIsLowerBound ? '+' : ''} ${filtered ? 'matching ' : ''}assets`
            : ''}
        </Text>
      </Group>
      <Group gap="sm" align="flex-end" role="search" aria-label="Asset filters">
        <DebouncedTextFilter
          label="Name, owner, address or tag"
          value={filters.text}
          onChange={(text) => setFilters({ text })}
        />
        <Select
          label="Criticality"
          placeholder="Any criticality"
          data={[...CRITICALITIES]}
          value={filters.criticality ?? null}
          onChange={(v) => setFilters({ criticality: CRITICALITIES.find((c) => c === v) })}
          clearable
          size="sm"
          w={160}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label="Segment"
          placeholder="Any segment"
          data={(segments.data ?? []).map((s) => ({ value: s.id, label: `${s.name} (${s.cidr})` }))}
          value={filters.segment ?? null}
          onChange={(v) => setFilters({ segment: v ?? undefined })}
          clearable
          size="sm"
          w={220}
          comboboxProps={{ withinPortal: true }}
        />
      </Group>
      {assets.isPending ? (
        <LoadingState label="Loading assets…" />
      ) : assets.error ? (
        <ErrorState error={assets.error} retry={() => void assets.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title="No assets match">
          {filtered
            ? 'Change or clear the filters.'
            : 'Nothing is documented yet: import an inventory on the Preparation screen.'}
        </EmptyState>
      ) : (
        <AssetTable
          tenantId={tenantId}
          rows={rows}
          total={first?.total ?? rows.length}
          onNearEnd={nearEnd}
        />
      )}
    </Stack>
  );
}
