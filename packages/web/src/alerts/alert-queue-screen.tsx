/**
 * The alert queue: server-side paging and total, filters in the URL, grouping by rule or host,
 * bulk triage, and the alert in a side panel.
 */
import { Group, Pagination, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { plural } from '../shared/plural.ts';
import type { RowSelectionState } from '@tanstack/react-table';
import { useCallback, useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { ALERT_LEVELS, ALERT_STATUSES, isAlertStatus } from '../api/vocabulary.ts';
import { canWrite, roleIn, useSession } from '../auth/use-session.ts';
import { DebouncedTextFilter } from '../shared/debounced-text-filter.tsx';
import { EmptyState, ErrorState, LoadingState } from '../shared/query-states.tsx';
import type { TimeRange } from './alert-filters.ts';
import { TIME_RANGES, useAlertFilters } from './alert-filters.ts';
import { SavedViews } from './saved-views.tsx';
import { AlertDetail } from './alert-detail.tsx';
import { AlertTable } from './alert-table.tsx';
import { BulkTriageBar } from './bulk-triage-bar.tsx';
import { ALERT_PAGE, useAlerts } from './use-alerts.ts';

export function AlertQueueScreen() {
  const { tenantId = '' } = useParams();
  const [filters, setFilters] = useAlertFilters();
  const alerts = useAlerts(tenantId, filters);
  const session = useSession();
  const writable = canWrite(roleIn(session.data, tenantId));
  const [selection, setSelection] = useState<RowSelectionState>({});
  const items = useMemo(() => alerts.data?.items ?? [], [alerts.data]);
  const selected = useMemo(() => items.filter((a) => selection[a.id]), [items, selection]);
  const open = useCallback((alertId: string) => setFilters({ alert: alertId }), [setFilters]);
  const total = alerts.data?.total ?? 0;
  const user = session.data?.user?.id ?? session.data?.user?.email ?? 'token';

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h3">
          Alert queue
        </Title>
        <Group gap="sm">
          <Text size="sm" aria-live="polite">
            {alerts.data ? plural(total, 'alert') : ''}
          </Text>
          <SavedViews key={`${user}-${tenantId}`} user={user} tenantId={tenantId} />
        </Group>
      </Group>
      <Group align="flex-end" gap="sm" role="search" aria-label="Alert filters">
        <Select
          label="Status"
          placeholder="Any status"
          data={ALERT_STATUSES.map((s) => ({ value: s, label: s }))}
          value={filters.status ?? null}
          onChange={(v) => setFilters({ status: isAlertStatus(v) ? v : undefined })}
          clearable
          size="sm"
          w={160}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label="Level"
          placeholder="Any level"
          data={ALERT_LEVELS.map((l) => ({ value: l, label: l }))}
          value={filters.level ?? null}
          onChange={(v) => setFilters({ level: ALERT_LEVELS.find((l) => l === v) })}
          clearable
          size="sm"
          w={150}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label="Last seen"
          placeholder="Any time"
          data={Object.entries(TIME_RANGES).map(([value, r]) => ({ value, label: r.label }))}
          value={filters.range ?? null}
          onChange={(v) => setFilters({ range: (v as TimeRange | null) ?? undefined })}
          clearable
          size="sm"
          w={160}
          comboboxProps={{ withinPortal: true }}
        />
        <DebouncedTextFilter
          label="Rule id"
          value={filters.ruleId}
          onChange={(ruleId) => setFilters({ ruleId })}
        />
        <DebouncedTextFilter
          label="User"
          value={filters.user}
          onChange={(user) => setFilters({ user })}
        />
        <DebouncedTextFilter
          label="Host"
          value={filters.host}
          onChange={(host) => setFilters({ host })}
        />
        <div>
          <Text size="sm" fw={500} id="alert-grouping-label" mb={2}>
            Group by
          </Text>
          <SegmentedControl
            aria-labelledby="alert-grouping-label"
            size="sm"
            value={filters.group}
            onChange={(v) => setFilters({ group: v })}
            data={[
              { value: 'none', label: 'None' },
              { value: 'rule', label: 'Rule' },
              { value: 'host', label: 'Host' },
            ]}
          />
        </div>
      </Group>
      {writable && (
        <BulkTriageBar tenantId={tenantId} selected={selected} onDone={() => setSelection({})} />
      )}
      {alerts.isPending ? (
        <LoadingState label="Loading alerts…" />
      ) : alerts.error ? (
        <ErrorState error={alerts.error} retry={() => void alerts.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No alerts match">
          {filters.status ||
          filters.level ||
          filters.user ||
          filters.ruleId ||
          filters.host ||
          filters.range
            ? 'Change or clear the filters.'
            : 'Nothing has fired yet.'}
        </EmptyState>
      ) : (
        <>
          <AlertTable
            alerts={items}
            grouping={filters.group}
            selection={selection}
            onSelectionChange={setSelection}
            onOpen={open}
            sort={filters.sort}
            onSortChange={(sort) => setFilters({ sort })}
          />
          {filters.group !== 'none' && (
            <Text size="xs" c="dimmed">
              Grouped within this page of {ALERT_PAGE}.
            </Text>
          )}
          {filters.sort && total > ALERT_PAGE && (
            <Text size="xs" c="dimmed">
              Sorted within this page of {ALERT_PAGE}; pages follow the newest first.
            </Text>
          )}
          {total > ALERT_PAGE && (
            <Pagination
              total={Math.ceil(total / ALERT_PAGE)}
              value={filters.page}
              onChange={(page) => {
                setSelection({});
                setFilters({ page });
              }}
              getControlProps={(control) => ({ 'aria-label': `${control} page` })}
            />
          )}
        </>
      )}
      <AlertDetail
        tenantId={tenantId}
        alertId={filters.alert}
        onClose={() => setFilters({ alert: undefined })}
      />
    </Stack>
  );
}
