/**
 * The incident's playbook runs: start a playbook (the server's suggestions for this incident's
 * category and techniques first, or any the tenant has), then each run's steps with their
 * state, owner role and phase, who moved them and when. A manual step waiting for a person is
 * completed here; an approval step is approved or declined by an incident lead.
 */
import { Badge, Button, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../../shared/query-states.tsx';
import type { PlaybookRun, RunStep } from './response-types.ts';
import {
  useCompleteStep,
  useDecideStep,
  usePlaybookRuns,
  usePlaybookSuggestions,
  usePlaybooks,
  useStartRun,
} from './use-response.ts';

const failed = (error: Error) =>
  notifications.show({ color: 'red', title: 'Not done', message: error.message });
const when = (at: string | null) => (at ? new Date(at).toLocaleTimeString() : '—');

const STATE_COLOR: Readonly<Record<string, string>> = {
  pending: 'gray',
  running: 'cyan',
  waiting: 'yellow',
  done: 'green',
  failed: 'red',
  skipped: 'gray',
};

function StartRun(props: { readonly tenantId: string; readonly incidentId: string }) {
  const playbooks = usePlaybooks(props.tenantId);
  const suggestions = usePlaybookSuggestions(props.tenantId, props.incidentId);
  const start = useStartRun(props.tenantId, props.incidentId);
  const [chosen, setChosen] = useState<string | null>(null);
  const suggested = suggestions.data?.items ?? [];
  const suggestedIds = new Set(suggested.map((s) => s.playbookId));
  const data = [
    {
      group: 'Suggested for this incident',
      items: suggested.map((s) => ({ value: s.playbookId, label: `${s.name} (score ${s.score})` })),
    },
    {
      group: 'All playbooks',
      items: (playbooks.data?.items ?? [])
        .filter((p) => !suggestedIds.has(p.id))
        .map((p) => ({ value: p.id, label: `${p.name} (${p.source})` })),
    },
  ].filter((g) => g.items.length > 0);
  const pick = chosen ?? suggested[0]?.playbookId ?? null;
  return (
    <Group gap="xs" align="flex-end">
      <Select
        label="Playbook"
        w={420}
        data={data}
        value={pick}
        onChange={setChosen}
        searchable
        nothingFoundMessage="No playbook"
        disabled={playbooks.isPending}
      />
      <Button
        disabled={pick === null}
        loading={start.isPending}
        onClick={() =>
          pick &&
          start.mutate(pick, {
            onSuccess: () => notifications.show({ color: 'green', message: 'Playbook started' }),
            onError: failed,
          })
        }
      >
        Start playbook
      </Button>
      {suggested[0] && (
        <Text size="xs" c="dimmed" maw={360}>
          Suggested: {suggested[0].name} — {suggested[0].reasons.join('; ')}
        </Text>
      )}
    </Group>
  );
}

function StepControls(props: {
  readonly run: PlaybookRun;
  readonly step: RunStep;
  readonly tenantId: string;
  readonly incidentId: string;
  readonly canApprove: boolean;
}) {
  const complete = useCompleteStep(props.tenantId, props.incidentId);
  const decide = useDecideStep(props.tenantId, props.incidentId);
  const { step, run } = props;
  if (step.state !== 'waiting') return null;
  if (step.kind === 'approval') {
    if (!props.canApprove) return <Text size="xs">awaiting an incident lead</Text>;
    const decideAs = (decision: 'approved' | 'declined') =>
      decide.mutate({ runId: run.id, step: step.key, decision }, { onError: failed });
    return (
      <Group gap={4}>
        <Button
          size="compact-xs"
          aria-label={`Approve step ${step.name}`}
          onClick={() => decideAs('approved')}
        >
          Approve
        </Button>
        <Button
          size="compact-xs"
          variant="outline"
          color="red"
          aria-label={`Decline step ${step.name}`}
          onClick={() => decideAs('declined')}
        >
          Decline
        </Button>
      </Group>
    );
  }
  if (step.kind !== 'manual') return <Text size="xs">waiting on {step.kind ?? step.type}</Text>;
  return (
    <Button
      size="compact-xs"
      aria-label={`Complete step ${step.name}`}
      loading={complete.isPending}
      onClick={() => complete.mutate({ runId: run.id, step: step.key }, { onError: failed })}
    >
      Complete
    </Button>
  );
}

function RunTable(props: {
  readonly run: PlaybookRun;
  readonly tenantId: string;
  readonly incidentId: string;
  readonly writable: boolean;
  readonly canApprove: boolean;
}) {
  const { run } = props;
  const shown = run.steps.filter((s) => s.type !== 'start' && s.type !== 'end');
  const count = (state: string) => shown.filter((s) => s.state === state).length;
  const tally = ['done', 'waiting', 'failed', 'skipped']
    .map((state) => [state, count(state)] as const)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${state}`)
    .join(', ');
  return (
    <Stack gap={4}>
      <Group gap="sm">
        <Title order={3} size="h5">
          {run.playbookName} v{run.playbookVersion}
        </Title>
        <Badge
          variant="light"
          c="dark.9"
          style={{ minWidth: 'max-content' }}
          aria-label={`Run status: ${run.status}`}
        >
          {run.status}
        </Badge>
      </Group>
      <Text size="xs">
        {shown.length} steps ({tally || 'none started'}) · started by {run.startedBy}{' '}
        {new Date(run.startedAt).toLocaleString()}
        {run.failure ? ` · failed: ${run.failure}` : ''}
      </Text>
      {/* Scrolls sideways on a narrow screen rather than squeezing the state badges. */}
      <Table.ScrollContainer minWidth={760} type="native">
        <Table aria-label={`Steps of ${run.playbookName}`} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Step</Table.Th>
              <Table.Th scope="col">Phase · owner</Table.Th>
              <Table.Th scope="col">State</Table.Th>
              <Table.Th scope="col">By</Table.Th>
              <Table.Th scope="col" style={{ whiteSpace: 'nowrap' }}>
                Started · ended
              </Table.Th>
              <Table.Th scope="col">Do</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((s) => (
              <Table.Tr key={s.key}>
                <Table.Td>
                  <Text size="sm">{s.name}</Text>
                  <Text size="xs" c="dimmed">
                    {s.kind ?? s.type}
                    {s.detail ? ` · ${s.detail}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {s.phase ?? '—'} · {s.ownerRole?.replace('_', ' ') ?? '—'}
                </Table.Td>
                <Table.Td>
                  <Badge
                    size="sm"
                    variant="light"
                    c="dark.9"
                    color={STATE_COLOR[s.state] ?? 'gray'}
                    style={{ minWidth: 'max-content' }}
                    aria-label={`Step ${s.name}: ${s.state}`}
                  >
                    {s.state}
                  </Badge>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {s.actor?.startsWith('playbook:') ? 'the playbook' : (s.actor ?? '—')}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {when(s.startedAt)} · {when(s.endedAt)}
                </Table.Td>
                <Table.Td>
                  {props.writable && (
                    <StepControls
                      run={run}
                      step={s}
                      tenantId={props.tenantId}
                      incidentId={props.incidentId}
                      canApprove={props.canApprove}
                    />
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

export function PlaybookPanel(props: {
  readonly tenantId: string;
  readonly incidentId: string;
  readonly writable: boolean;
  readonly canApprove: boolean;
}) {
  const runs = usePlaybookRuns(props.tenantId, props.incidentId);
  if (runs.isPending) return <LoadingState label="Loading playbook runs…" />;
  if (runs.error) return <ErrorState error={runs.error} retry={() => void runs.refetch()} />;
  return (
    <Stack gap="md">
      {props.writable && <StartRun tenantId={props.tenantId} incidentId={props.incidentId} />}
      {runs.data.items.length === 0 ? (
        <EmptyState title="No playbook run">
          A playbook's manual tasks, agent actions and approvals appear here once it starts.
        </EmptyState>
      ) : (
        runs.data.items.map((run) => <RunTable key={run.id} run={run} {...props} />)
      )}
    </Stack>
  );
}
