/**
 * Analysis: the incident's timeline (its alerts and their events, related events found by
 * pivoting on host, user, address and process, agent actions, notes, transitions, evidence) in
 * time order with a kind filter, and the process tree of an affected host (Sysmon 1, Security
 * 4688, agent telemetry), the incident's flagged processes marked. Filters live in the URL.
 */
import { Badge, Chip, Code, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '../../shared/query-states.tsx';
import type { ProcessTree, Timeline } from './response-types.ts';
import { useProcessTree, useTimeline } from './use-response.ts';

const KINDS = [
  'alert',
  'alert-event',
  'related-event',
  'action',
  'note',
  'transition',
  'evidence',
] as const;
const TIMELINE_LIMIT = 200;

function TimelineTable({ timeline }: { readonly timeline: Timeline }) {
  if (timeline.entries.length === 0) return <EmptyState title="Nothing on the timeline" />;
  return (
    <Table aria-label="Timeline" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">When</Table.Th>
          <Table.Th scope="col">Kind</Table.Th>
          <Table.Th scope="col">What</Table.Th>
          <Table.Th scope="col">Host · user</Table.Th>
          <Table.Th scope="col">By</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {timeline.entries.map((e, i) => (
          <Table.Tr key={`${e.kind}-${e.refId}-${i}`}>
            <Table.Td>{new Date(e.at).toLocaleString()}</Table.Td>
            <Table.Td>
              <Badge size="sm" variant="light" c="dark.9">
                {e.kind}
              </Badge>
            </Table.Td>
            <Table.Td>{e.title}</Table.Td>
            <Table.Td>
              {e.host ?? '—'} · {e.user ?? '—'}
            </Table.Td>
            <Table.Td>{e.actor ?? '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function ProcessTreeTable({ tree }: { readonly tree: ProcessTree }) {
  if (tree.nodes.length === 0)
    return <EmptyState title={`No process events for ${tree.host} in the window`} />;
  return (
    <Table aria-label={`Process tree of ${tree.host}`} striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Process</Table.Th>
          <Table.Th scope="col">PID</Table.Th>
          <Table.Th scope="col">User</Table.Th>
          <Table.Th scope="col">Started</Table.Th>
          <Table.Th scope="col">Source</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {tree.nodes.map((n) => (
          <Table.Tr key={n.key}>
            <Table.Td style={{ paddingLeft: 8 + n.depth * 20 }}>
              <Text size="sm" fw={n.flagged ? 700 : 400}>
                {n.depth > 0 ? '└ ' : ''}
                {n.name ?? n.executable ?? '?'}
                {n.flagged && (
                  <Badge size="xs" color="red" variant="light" c="dark.9" ml={6}>
                    flagged
                  </Badge>
                )}
              </Text>
              {n.commandLine && <Code fz="xs">{n.commandLine.slice(0, 200)}</Code>}
            </Table.Td>
            <Table.Td>{n.pid ?? '—'}</Table.Td>
            <Table.Td>{n.user ?? '—'}</Table.Td>
            <Table.Td>{n.startedAt ? new Date(n.startedAt).toLocaleTimeString() : '—'}</Table.Td>
            <Table.Td>{n.source ?? '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function AnalysisPanel(props: { readonly tenantId: string; readonly incidentId: string }) {
  const [params, setParams] = useSearchParams();
  const kinds = params.get('kinds')?.split(',').filter(Boolean) ?? [];
  const host = params.get('host') ?? undefined;
  const setParam = (key: string, value: string | undefined) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const timeline = useTimeline(props.tenantId, props.incidentId, {
    kinds: kinds.length > 0 ? kinds.join(',') : undefined,
    limit: TIMELINE_LIMIT,
  });
  const tree = useProcessTree(props.tenantId, props.incidentId, { host });
  const hosts = timeline.data?.pivots.hosts ?? [];

  return (
    <Stack gap="md">
      <Title order={2} size="h4">
        Timeline
      </Title>
      <Chip.Group multiple value={kinds} onChange={(v) => setParam('kinds', v.join(','))}>
        <Group gap={6} role="group" aria-label="Timeline kinds">
          {KINDS.map((k) => (
            <Chip key={k} value={k} size="xs">
              {k}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      {timeline.isPending ? (
        <LoadingState label="Loading the timeline…" />
      ) : timeline.error ? (
        <ErrorState error={timeline.error} retry={() => void timeline.refetch()} />
      ) : (
        <>
          <Text size="xs" c="dimmed">
            {timeline.data.total} entr{timeline.data.total === 1 ? 'y' : 'ies'}
            {timeline.data.total > timeline.data.entries.length
              ? `, the first ${timeline.data.entries.length} shown`
              : ''}
            {timeline.data.relatedTruncated ? '; related events truncated' : ''} · root cause:{' '}
            {timeline.data.findings.rootCause ?? 'not recorded'} · scope:{' '}
            {timeline.data.findings.scope ?? 'not recorded'}
          </Text>
          <TimelineTable timeline={timeline.data} />
        </>
      )}
      <Group gap="sm" align="flex-end">
        <Title order={2} size="h4">
          Process tree
        </Title>
        <Select
          label="Host"
          size="xs"
          w={220}
          placeholder={tree.data?.host ?? 'first affected asset'}
          data={hosts}
          value={host ?? null}
          onChange={(v) => setParam('host', v ?? undefined)}
          clearable
        />
      </Group>
      {tree.isPending ? (
        <LoadingState label="Loading the process tree…" />
      ) : tree.error ? (
        <ErrorState error={tree.error} retry={() => void tree.refetch()} />
      ) : (
        <ProcessTreeTable tree={tree.data} />
      )}
    </Stack>
  );
}
