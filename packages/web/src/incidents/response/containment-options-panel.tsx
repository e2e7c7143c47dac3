/**
 * Containment decisions for the incident's servers: each affected asset's options with their
 * figures (what stops, expected downtime cost, MTD exceeded, residual risk, what the option
 * needs), a decision with its rationale, and the decisions taken — the failover a lead confirms
 * before isolation is queued, and the queued actions with their approvals (two distinct
 * approvers under the two-person rule).
 */
import { Badge, Button, Group, Modal, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../../shared/query-states.tsx';
import type { AssetOptions, ContainmentOption, Decision } from './response-types.ts';
import {
  useApproveAction,
  useContainmentOptions,
  useDecide,
  useDecisions,
  useFailoverOutcome,
} from './use-response.ts';

const money = (value: number) => value.toLocaleString(undefined, { maximumFractionDigits: 0 });
const failed = (error: Error) =>
  notifications.show({ color: 'red', title: 'Not done', message: error.message });

interface Choice {
  readonly asset: AssetOptions;
  readonly option: ContainmentOption;
}

function OptionRow(props: {
  readonly asset: AssetOptions;
  readonly option: ContainmentOption;
  readonly canDecide: boolean;
  readonly onChoose: (choice: Choice) => void;
}) {
  const { option: o, asset } = props;
  return (
    <Table.Tr>
      <Table.Th scope="row">
        <Text size="sm" fw={500}>
          {o.option}
        </Text>
        {o.recommended && (
          <Badge size="xs" color="blue" variant="light" c="dark.9">
            recommended
          </Badge>
        )}
        {!o.available && (
          <Text size="xs" c="red.9">
            unavailable: {o.unavailableReasons.join('; ')}
          </Text>
        )}
      </Table.Th>
      <Table.Td>
        {o.stops.functions.length === 0
          ? 'nothing'
          : o.stops.functions.map((f) => (
              <Text size="xs" key={f.functionId}>
                {f.name} ({money(f.expectedCost)}){f.mtdExceeded ? ' — MTD exceeded' : ''}
              </Text>
            ))}
        {o.stops.dependants.length > 0 && (
          <Text size="xs">dependants: {o.stops.dependants.map((d) => d.name).join(', ')}</Text>
        )}
      </Table.Td>
      <Table.Td>
        {money(o.downtimeCost)} over {o.expectedDurationMinutes} min
        {o.mtdExceeded && (
          <Badge size="xs" color="red" variant="light" c="dark.9" ml={4}>
            MTD exceeded
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        {o.residualRisk.level} ({o.residualRisk.score})
      </Table.Td>
      <Table.Td>
        {o.needs.map((n) => (
          <Text size="xs" key={n.kind}>
            {n.met === true ? '✓' : n.met === false ? '✗' : '·'} {n.detail}
          </Text>
        ))}
      </Table.Td>
      <Table.Td>
        {props.canDecide && o.available && (
          <Button
            size="xs"
            variant="light"
            aria-label={`Choose ${o.option} for ${asset.asset.name}`}
            onClick={() => props.onChoose({ asset, option: o })}
          >
            Choose…
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function AssetOptionsTable(props: {
  readonly asset: AssetOptions;
  readonly canDecide: boolean;
  readonly onChoose: (choice: Choice) => void;
}) {
  const { asset: a } = props;
  return (
    <Stack gap={4}>
      <Title order={3} size="h5">
        {a.asset.name} · {a.asset.kind}, {a.asset.criticality}
      </Title>
      <Text size="xs">
        Agent:{' '}
        {a.agent
          ? `${a.agent.agentId} ${a.agent.online ? 'online' : 'offline'}${a.agent.isolated ? ', isolated' : ''}`
          : 'none'}{' '}
        · Peers:{' '}
        {a.peers.length === 0
          ? 'none'
          : a.peers
              .map(
                (p) =>
                  `${p.name} (${p.healthy ? 'healthy' : `unhealthy: ${p.reasons.join(', ')}`})`,
              )
              .join(', ')}{' '}
        · Left untouched: {a.untouchedRisk.level} risk
        {a.recommendation ? ` · policy recommends ${a.recommendation.option}` : ''}
      </Text>
      <Table aria-label={`Containment options for ${a.asset.name}`} striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Option</Table.Th>
            <Table.Th scope="col">What stops</Table.Th>
            <Table.Th scope="col">Downtime cost</Table.Th>
            <Table.Th scope="col">Residual risk</Table.Th>
            <Table.Th scope="col">Needs</Table.Th>
            <Table.Th scope="col">Decide</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {a.options.map((o) => (
            <OptionRow
              key={o.option}
              asset={a}
              option={o}
              canDecide={props.canDecide}
              onChoose={props.onChoose}
            />
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function DecisionDialog(props: {
  readonly choice: Choice | undefined;
  readonly onClose: () => void;
  readonly tenantId: string;
  readonly incidentId: string;
}) {
  const [rationale, setRationale] = useState('');
  const decide = useDecide(props.tenantId, props.incidentId);
  const { choice } = props;
  return (
    <Modal
      opened={choice !== undefined}
      onClose={props.onClose}
      title={choice ? `Decide: ${choice.option.option} for ${choice.asset.asset.name}` : ''}
    >
      <Stack>
        {choice && (
          <Text size="sm">
            Expected downtime cost {money(choice.option.downtimeCost)}; residual risk{' '}
            {choice.option.residualRisk.level}; needs {choice.option.requiredApprovals} approval
            {choice.option.requiredApprovals === 1 ? '' : 's'}.
          </Text>
        )}
        <Textarea
          label="Rationale"
          required
          value={rationale}
          onChange={(e) => setRationale(e.currentTarget.value)}
          data-autofocus
        />
        <Button
          disabled={rationale.trim() === ''}
          loading={decide.isPending}
          onClick={() =>
            choice &&
            decide.mutate(
              {
                assetId: choice.asset.asset.id,
                option: choice.option.option,
                rationale: rationale.trim(),
                ...(choice.asset.keepOpen && choice.option.option === 'isolate-with-allow'
                  ? { keepOpen: choice.asset.keepOpen.rules }
                  : {}),
              },
              {
                onSuccess: () => {
                  setRationale('');
                  props.onClose();
                  notifications.show({ color: 'green', message: 'Decision recorded' });
                },
                onError: failed,
              },
            )
          }
        >
          Record the decision
        </Button>
      </Stack>
    </Modal>
  );
}

function DecisionRow(props: {
  readonly decision: Decision;
  readonly canApprove: boolean;
  readonly tenantId: string;
  readonly incidentId: string;
}) {
  const { decision: d } = props;
  const failover = useFailoverOutcome(props.tenantId, props.incidentId);
  const approve = useApproveAction(props.tenantId, props.incidentId);
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm">
          {d.assetName}: {d.option}
        </Text>
        <Text size="xs" c="dimmed">
          {d.rationale}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge variant="light" c="dark.9" aria-label={`Decision state: ${d.state}`}>
          {d.state}
        </Badge>
      </Table.Td>
      <Table.Td>
        {d.decidedBy}
        <Text size="xs">{new Date(d.decidedAt).toLocaleString()}</Text>
      </Table.Td>
      <Table.Td>
        {d.failover ? (
          <Stack gap={2}>
            <Text size="xs" aria-label={`Failover to ${d.failover.peerName}: ${d.failover.state}`}>
              to {d.failover.peerName}: {d.failover.state}
            </Text>
            {d.failover.state === 'pending' && props.canApprove && (
              <Group gap={4}>
                <Button
                  size="compact-xs"
                  loading={failover.isPending}
                  onClick={() =>
                    failover.mutate({ decisionId: d.id, outcome: 'confirmed' }, { onError: failed })
                  }
                >
                  Confirm failover
                </Button>
                <Button
                  size="compact-xs"
                  variant="outline"
                  color="red"
                  onClick={() =>
                    failover.mutate({ decisionId: d.id, outcome: 'failed' }, { onError: failed })
                  }
                >
                  Failover failed
                </Button>
              </Group>
            )}
          </Stack>
        ) : (
          '—'
        )}
      </Table.Td>
      <Table.Td>
        {d.actions.length === 0
          ? '—'
          : d.actions.map((a) => (
              <Group gap={4} key={a.id} wrap="nowrap">
                <Text size="xs">
                  {a.action.kind} · {a.state} · approvals {a.approvals.length}/{a.requiredApprovals}
                  {a.approvals.length > 0 ? ` (${a.approvals.map((x) => x.by).join(', ')})` : ''}
                </Text>
                {a.state === 'requested' && props.canApprove && (
                  <Button
                    size="compact-xs"
                    aria-label={`Approve ${a.action.kind} of ${d.assetName}`}
                    loading={approve.isPending}
                    onClick={() => approve.mutate(a.id, { onError: failed })}
                  >
                    Approve
                  </Button>
                )}
              </Group>
            ))}
      </Table.Td>
    </Table.Tr>
  );
}

export function ContainmentOptionsPanel(props: {
  readonly tenantId: string;
  readonly incidentId: string;
  readonly canDecide: boolean;
  readonly canApprove: boolean;
}) {
  const options = useContainmentOptions(props.tenantId, props.incidentId);
  const decisions = useDecisions(props.tenantId, props.incidentId);
  const [choice, setChoice] = useState<Choice | undefined>();

  if (options.isPending || decisions.isPending)
    return <LoadingState label="Loading containment options…" />;
  if (options.error)
    return <ErrorState error={options.error} retry={() => void options.refetch()} />;
  if (decisions.error) return <ErrorState error={decisions.error} />;
  return (
    <Stack gap="md">
      <Title order={2} size="h4">
        Server containment options
      </Title>
      {options.data.assets.length === 0 ? (
        <EmptyState title="No servers to decide for">
          {options.data.skipped.map((s) => `${s.entry}: ${s.reason}`).join('; ') ||
            'The incident names no affected server.'}
        </EmptyState>
      ) : (
        options.data.assets.map((a) => (
          <AssetOptionsTable
            key={a.asset.id}
            asset={a}
            canDecide={props.canDecide}
            onChoose={setChoice}
          />
        ))
      )}
      {options.data.assets.length > 0 && options.data.skipped.length > 0 && (
        <Text size="xs" c="dimmed">
          Not offered: {options.data.skipped.map((s) => `${s.entry} (${s.reason})`).join('; ')}
        </Text>
      )}
      <Title order={2} size="h4">
        Decisions
      </Title>
      {decisions.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No decision recorded
        </Text>
      ) : (
        <Table aria-label="Containment decisions" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Decision</Table.Th>
              <Table.Th scope="col">State</Table.Th>
              <Table.Th scope="col">Decided by</Table.Th>
              <Table.Th scope="col">Failover</Table.Th>
              <Table.Th scope="col">Actions and approvals</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {decisions.data.items.map((d) => (
              <DecisionRow
                key={d.id}
                decision={d}
                canApprove={props.canApprove}
                tenantId={props.tenantId}
                incidentId={props.incidentId}
              />
            ))}
          </Table.Tbody>
        </Table>
      )}
      <DecisionDialog
        choice={choice}
        onClose={() => setChoice(undefined)}
        tenantId={props.tenantId}
        incidentId={props.incidentId}
      />
    </Stack>
  );
}
