/**
 * The query, the time range and the Search button. A query the server refuses is marked at
 * the column it names: the message under the field, a caret under the column, and the cursor
 * put there so the analyst can fix it from the keyboard.
 */
import { Box, Button, Code, Group, Select, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { QueryProblem } from './query-error.ts';
import type { RangePreset, SearchState } from './search-params.ts';
import { RANGE_PRESETS } from './search-params.ts';

/** `datetime-local` text (local time, minutes) ↔ RFC 3339. */
const toLocalInput = (iso: string | undefined): string => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (text: string): string | undefined =>
  text && !Number.isNaN(Date.parse(text)) ? new Date(text).toISOString() : undefined;

function ProblemMarker({ query, problem }: { query: string; problem: QueryProblem }) {
  if (problem.column === undefined) return null;
  const at = Math.min(Math.max(problem.column - 1, 0), query.length);
  // Only the stretch around the column, so a long query still shows where.
  const start = Math.max(0, at - 60);
  return (
    <Box mt={4}>
      <Code block aria-hidden data-testid="query-marker">
        {`${start > 0 ? '…' : ''}${query.slice(start, at + 60)}\n${' '.repeat(at - start + (start > 0 ? 1 : 0))}^`}
      </Code>
    </Box>
  );
}

export function QueryBar({
  state,
  problem,
  onSearch,
}: {
  readonly state: SearchState;
  readonly problem: QueryProblem | undefined;
  readonly onSearch: (changes: Pick<SearchState, 'query' | 'range' | 'from' | 'to'>) => void;
}) {
  const [query, setQuery] = useState(state.query);
  const [range, setRange] = useState<RangePreset>(state.range);
  const [from, setFrom] = useState(toLocalInput(state.from));
  const [to, setTo] = useState(toLocalInput(state.to));
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => setQuery(state.query), [state.query]);
  useEffect(() => setRange(state.range), [state.range]);

  useEffect(() => {
    if (problem?.column === undefined || !input.current) return;
    const at = Math.min(problem.column - 1, input.current.value.length);
    input.current.focus();
    input.current.setSelectionRange(at, Math.min(at + 1, input.current.value.length));
  }, [problem]);

  const submit = (nextRange = range) =>
    onSearch({
      query: query.trim(),
      range: nextRange,
      from: nextRange === 'custom' ? fromLocalInput(from) : undefined,
      to: nextRange === 'custom' ? fromLocalInput(to) : undefined,
    });

  return (
    <form
      role="search"
      aria-label="Event search"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Group align="flex-start" gap="sm" wrap="nowrap">
        <Box style={{ flex: 1 }}>
          <TextInput
            ref={input}
            label="Query"
            placeholder='host.name:web01 and not user.name:root   ·   "failed password"'
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            maxLength={10_000}
            spellCheck={false}
            autoComplete="off"
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            error={
              problem &&
              (problem.column === undefined
                ? problem.message
                : `${problem.message} (column ${problem.column})`)
            }
          />
          {problem && <ProblemMarker query={state.query} problem={problem} />}
        </Box>
        <Select
          label="Time range"
          data={RANGE_PRESETS.map((p) => ({ value: p.value, label: p.label }))}
          value={range}
          onChange={(v) => {
            const next = RANGE_PRESETS.find((p) => p.value === v)?.value ?? '24h';
            setRange(next);
            if (next !== 'custom') submit(next);
          }}
          allowDeselect={false}
          w={180}
          comboboxProps={{ withinPortal: true }}
        />
        {range === 'custom' && (
          <>
            <TextInput
              type="datetime-local"
              label="From"
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
              w={200}
            />
            <TextInput
              type="datetime-local"
              label="To"
              value={to}
              onChange={(e) => setTo(e.currentTarget.value)}
              w={200}
            />
          </>
        )}
        <Button type="submit" mt={25}>
          Search
        </Button>
      </Group>
      <Text size="xs" c="dimmed" mt={4}>
        field:value, and / or / not, ranges (event.code &gt;= 4624), wildcards (*mimikatz*), CIDR
        (source.ip:10.0.0.0/8), "free text".
      </Text>
    </form>
  );
}
