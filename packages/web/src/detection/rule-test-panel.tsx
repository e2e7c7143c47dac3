/**
 * Testing the rule in the browser before it is saved: against pasted events (a JSON array or
 * NDJSON) or against events pulled from the tenant's store by a search, with the engine live
 * detection runs (`rule-test.ts` says how raw records and correlations are treated). The table
 * shows which events matched, by which rule, selections and fields.
 */
import {
  Alert,
  Button,
  Checkbox,
  Code,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, tenantPath } from '../api/api-client.ts';
import { queryProblem } from '../search/query-error.ts';
import type { EventSearchResult } from '../search/search-types.ts';
import { plural } from '../shared/plural.ts';
import { ErrorState } from '../shared/query-states.tsx';
import type { RuleCheck } from './rule-check.ts';
import type { RuleTestResult } from './rule-test.ts';
import { runRuleTest } from './rule-test.ts';
import type { TestEvent } from './test-events.ts';
import { parseTestEvents, storedTestEvents } from './test-events.ts';

const SEARCH_LIMIT = 200;
const SHOWN_ROWS = 200;
const RANGES = [
  { value: '1', label: 'Last hour' },
  { value: '24', label: 'Last 24 hours' },
  { value: '168', label: 'Last 7 days' },
  { value: '720', label: 'Last 30 days' },
];

function useSearchedEvents(tenantId: string) {
  return useMutation({
    mutationFn: async (input: { query: string; hours: number }) => {
      const result = await api.post<EventSearchResult>(tenantPath(tenantId, 'events', 'search'), {
        ...(input.query.trim() ? { query: input.query } : {}),
        from: new Date(Date.now() - input.hours * 3_600_000).toISOString(),
        sort: 'desc',
        limit: SEARCH_LIMIT,
      });
      return { total: result.total, more: result.totalIsLowerBound, events: result.events };
    },
  });
}

function Results({ result }: { readonly result: RuleTestResult }) {
  const [onlyMatches, setOnlyMatches] = useState(false);
  const rows = result.verdicts.filter((v) => !onlyMatches || v.hits.length > 0);
  return (
    <Stack gap="sm">
      <Text size="sm" fw={600} role="status">
        {result.matched} of {plural(result.verdicts.length, 'event')} matched
        {result.correlations.length > 0
          ? ` · ${plural(result.correlations.length, 'correlation alert')}`
          : ''}
      </Text>
      {result.regexCutOff > 0 && (
        <Text size="sm" c="yellow.9">
          {plural(result.regexCutOff, 'regex test')} ran out of steps and counted as no match, as
          live detection would count them.
        </Text>
      )}
      {result.correlations.length > 0 && (
        <Table aria-label="Correlation alerts" withRowBorders>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Correlation</Table.Th>
              <Table.Th scope="col">Group</Table.Th>
              <Table.Th scope="col">Value</Table.Th>
              <Table.Th scope="col">Completed by</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.correlations.map((c, i) => (
              <Table.Tr key={`${i}-${c.title}`}>
                <Table.Td>{c.title}</Table.Td>
                <Table.Td>
                  {Object.entries(c.group)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(', ') || '—'}
                </Table.Td>
                <Table.Td>{c.value}</Table.Td>
                <Table.Td>{c.label}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Checkbox
        label="Only matching events"
        checked={onlyMatches}
        onChange={(event) => setOnlyMatches(event.currentTarget.checked)}
      />
      <Table.ScrollContainer minWidth={800}>
        <Table aria-label="Test results" withRowBorders layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" w={150}>
                Event
              </Table.Th>
              <Table.Th scope="col" w={220}>
                Matched
              </Table.Th>
              <Table.Th scope="col" w={200}>
                Selections and fields
              </Table.Th>
              <Table.Th scope="col">Content</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.slice(0, SHOWN_ROWS).map((v) => (
              <Table.Tr key={v.event.label}>
                <Table.Th scope="row" fw={400}>
                  {v.event.label}
                </Table.Th>
                <Table.Td>
                  {v.hits.length > 0 ? (
                    <Text size="sm" fw={600}>
                      match: {v.hits.map((h) => h.title).join(', ')}
                    </Text>
                  ) : (
                    <Text size="sm" c="dimmed">
                      no match
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {v.hits
                    .map((h) => [...h.selections, ...h.fields.map((f) => `field ${f}`)].join(', '))
                    .join('; ') || '—'}
                </Table.Td>
                <Table.Td>
                  <Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                    {v.event.preview}
                  </Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {rows.length > SHOWN_ROWS && (
        <Text size="sm" c="dimmed">
          The first {SHOWN_ROWS} of {rows.length} rows are shown.
        </Text>
      )}
    </Stack>
  );
}

export function RuleTestPanel({
  tenantId,
  check,
}: {
  readonly tenantId: string;
  /** The checked rule text; undefined while it is being typed or empty. */
  readonly check: RuleCheck | undefined;
}) {
  const [from, setFrom] = useState<'paste' | 'search'>('paste');
  const [pasted, setPasted] = useState('');
  const [query, setQuery] = useState('');
  const [hours, setHours] = useState('24');
  const search = useSearchedEvents(tenantId);
  const [run, setRun] = useState<{ result: RuleTestResult; check: RuleCheck; events: unknown }>();

  const parsed = useMemo(() => parseTestEvents(pasted), [pasted]);
  const searched = useMemo(
    () => (search.data ? storedTestEvents(search.data.events) : undefined),
    [search.data],
  );
  const events: readonly TestEvent[] | undefined =
    from === 'paste' ? (parsed.ok ? parsed.events : undefined) : searched;
  const runnable =
    check !== undefined && check.problems.length === 0 && events !== undefined && events.length > 0;
  const stale = run !== undefined && (run.check !== check || run.events !== events);
  const problem = queryProblem(search.error);

  return (
    <Stack gap="sm" component="section" aria-labelledby="rule-test-title">
      <Title order={3} size="h5" id="rule-test-title">
        Test against events
      </Title>
      <Text size="sm" c="dimmed">
        Runs in this browser with live detection&apos;s engine. Stored events (searched, or pasted
        with their <Code>log_source</Code>) are matched as live detection matches them; a pasted
        record without one is taken to come from the rule&apos;s own log source, so its detection is
        what is tested. Correlations run over the events in order, at their <Code>@timestamp</Code>.
        Exclusions and suppressions are not applied here.
      </Text>
      <SegmentedControl
        aria-label="Events from"
        value={from}
        onChange={(value) => setFrom(value)}
        data={[
          { value: 'paste', label: 'Pasted events' },
          { value: 'search', label: 'Searched events' },
        ]}
        w="fit-content"
      />
      {from === 'paste' ? (
        <Stack gap={4}>
          <Textarea
            label="Test events"
            description="A JSON array, or NDJSON (one JSON object a line); at most 1,000 events"
            autosize
            minRows={4}
            maxRows={14}
            value={pasted}
            onChange={(event) => setPasted(event.currentTarget.value)}
            spellCheck={false}
            styles={{
              input: {
                fontFamily: 'var(--mantine-font-family-monospace)',
                whiteSpace: 'pre',
                overflowX: 'auto',
              },
            }}
          />
          {!parsed.ok ? (
            <Text size="sm" c="red.9" role="alert">
              {parsed.problem}
            </Text>
          ) : (
            parsed.events.length > 0 && (
              <Text size="sm" c="dimmed">
                {plural(parsed.events.length, 'event')} read
              </Text>
            )
          )}
        </Stack>
      ) : (
        <Stack gap={4}>
          <Group align="flex-end" gap="sm">
            <TextInput
              label="Search query"
              description="The search language, e.g. host.name:web01 AND event.code:4688 (empty: everything)"
              value={query}
              onChange={(event) => setQuery(event.currentTarget.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') search.mutate({ query, hours: Number(hours) });
              }}
              error={problem ? problem.message : undefined}
              miw={380}
            />
            <Select
              label="Time range"
              data={RANGES}
              value={hours}
              onChange={(value) => value && setHours(value)}
              allowDeselect={false}
              w={160}
            />
            <Button
              variant="default"
              loading={search.isPending}
              onClick={() => search.mutate({ query, hours: Number(hours) })}
            >
              Fetch events
            </Button>
          </Group>
          {search.error && !problem && (
            <ErrorState error={search.error} title="The search failed" />
          )}
          {search.data && (
            <Text size="sm" c="dimmed" role="status">
              {search.data.events.length === 0
                ? 'No events match'
                : `${plural(search.data.events.length, 'event')} fetched, newest first, of ${
                    search.data.more ? 'more than ' : ''
                  }${search.data.total.toLocaleString()} matching`}
            </Text>
          )}
        </Stack>
      )}
      <Group>
        <Button
          variant="light"
          disabled={!runnable}
          onClick={() =>
            check && events && setRun({ result: runRuleTest(check, events), check, events })
          }
        >
          Run test
        </Button>
        {!check || check.problems.length > 0 ? (
          <Text size="sm" c="dimmed">
            A rule that loads can be tested.
          </Text>
        ) : (
          stale && (
            <Text size="sm" c="yellow.9">
              The rule or the events changed since this run: run it again.
            </Text>
          )
        )}
      </Group>
      {run && !stale && <Results result={run.result} />}
      {run && stale && (
        <Alert color="gray" variant="light">
          Results of the previous run are hidden until the test runs again.
        </Alert>
      )}
    </Stack>
  );
}
