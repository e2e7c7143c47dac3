/**
 * Event search: the query language with errors marked at the column the server names, a time
 * range, a histogram over time, the top values of a field, and the events of a server-side
 * page in a virtualised table whose columns are fields the analyst picks. Everything but the
 * facet field lives in the URL.
 */
import { Grid, Group, Pagination, Stack, Text, Title } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '../shared/query-states.tsx';
import type { FieldActions } from './event-drawer.tsx';
import { EventDrawer } from './event-drawer.tsx';
import type { EventField } from './event-fields.ts';
import { clauseFor, narrowQuery } from './event-fields.ts';
import { EventHistogram } from './event-histogram.tsx';
import { EventTable } from './event-table.tsx';
import { FieldFacets } from './field-facets.tsx';
import { QueryBar } from './query-bar.tsx';
import { queryProblem } from './query-error.ts';
import { histogramInterval, resolveRange, useSearchState } from './search-params.ts';
import type { EventFilter } from './use-event-search.ts';
import {
  EVENT_PAGE,
  MAX_EVENT_OFFSET,
  useEventHistogram,
  useEventSearch,
} from './use-event-search.ts';

const FACET_FIELDS = ['host.name', 'user.name', 'source.ip', 'event.code', 'event.category'];

function countText(total: number, lowerBound: boolean): string {
  return lowerBound
    ? `more than ${total.toLocaleString()} events`
    : `${total.toLocaleString()} events`;
}

export function SearchScreen() {
  const { tenantId = '' } = useParams();
  const [state, setState] = useSearchState();
  // Bumped by every Search, so a relative range ("last hour") is measured from that moment.
  const [runs, setRuns] = useState(0);
  const filter = useMemo<EventFilter>(
    () => {
      const now = Date.now();
      const window = resolveRange(state, now);
      return {
        query: state.query,
        ...window,
        interval: histogramInterval(window.from, window.to, now),
      };
    },
    // `runs` is not read: it re-resolves the window on every Search.
    [state.query, state.range, state.from, state.to, runs],
  );
  const search = useEventSearch(tenantId, filter, state.page);
  const problem = queryProblem(search.error);
  // The other parts wait until this query has been accepted (not while the previous page shows).
  const accepted = search.isSuccess && !search.isPlaceholderData;
  const histogram = useEventHistogram(tenantId, filter, accepted);
  const [facet, setFacet] = useState<string | undefined>(state.columns[0]);

  const { columns } = state;
  const actions = useMemo<FieldActions>(
    () => ({
      pivot: (f: EventField) => setState({ query: clauseFor(f.field, f.value), event: undefined }),
      narrow: (f: EventField) =>
        setState({
          query: narrowQuery(state.query, clauseFor(f.field, f.value)),
          event: undefined,
        }),
      toggleColumn: (field: string) =>
        setState({
          columns: columns.includes(field)
            ? columns.filter((c) => c !== field)
            : [...columns, field],
        }),
      columns,
    }),
    [setState, state.query, columns],
  );
  const open = useCallback((event: string) => setState({ event }), [setState]);

  const result = search.data;
  const pages = result
    ? Math.min(Math.ceil(result.total / EVENT_PAGE), MAX_EVENT_OFFSET / EVENT_PAGE + 1)
    : 0;

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h3">
          Search
        </Title>
        <Text size="sm" role="status" aria-live="polite">
          {result && !problem ? countText(result.total, result.totalIsLowerBound) : ''}
        </Text>
      </Group>
      <QueryBar
        state={state}
        problem={problem}
        onSearch={(changes) => {
          setRuns((n) => n + 1);
          setState({ ...changes, event: undefined });
        }}
      />
      {histogram.data && !problem && <EventHistogram histogram={histogram.data} window={filter} />}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 9 }}>
          {problem ? null : search.isPending || !result ? (
            search.error ? (
              <ErrorState error={search.error} retry={() => void search.refetch()} />
            ) : (
              <LoadingState label="Searching…" />
            )
          ) : search.error ? (
            <ErrorState error={search.error} retry={() => void search.refetch()} />
          ) : result.events.length === 0 ? (
            <EmptyState title="No events match">
              Widen the time range or loosen the query.
            </EmptyState>
          ) : (
            <Stack gap="xs">
              <EventTable events={result.events} columns={columns} onOpen={open} />
              {pages > 1 && (
                <Pagination
                  total={pages}
                  value={state.page}
                  onChange={(page) => setState({ page })}
                  getControlProps={(control) => ({ 'aria-label': `${control} page` })}
                />
              )}
              {result.totalIsLowerBound && state.page === pages && (
                <Text size="xs" c="dimmed">
                  Paging stops at {MAX_EVENT_OFFSET.toLocaleString()} events: narrow the query or
                  the time range to see further.
                </Text>
              )}
            </Stack>
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 3 }}>
          <FieldFacets
            tenantId={tenantId}
            filter={filter}
            fields={[...new Set([...columns.filter((c) => c !== 'message'), ...FACET_FIELDS])]}
            field={facet}
            onFieldChange={setFacet}
            onNarrow={actions.narrow}
            enabled={accepted}
          />
        </Grid.Col>
      </Grid>
      <EventDrawer
        tenantId={tenantId}
        eventId={state.event}
        actions={actions}
        onClose={() => setState({ event: undefined })}
      />
    </Stack>
  );
}
