/**
 * Where the response stands after containment: eradication steps and what its guard still
 * needs, recovery (the release checklist, change records with the ATT&CK mitigations offered,
 * restores against backup jobs), verification checks with their last result, and the
 * incident's metrics (time to detect, acknowledge, identify, contain, eradicate, recover,
 * verify, close) with the closing review.
 */
import { Badge, List, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorState, LoadingState } from '../../shared/query-states.tsx';
import type { Closure } from './response-types.ts';
import {
  useChanges,
  useChecks,
  useClosure,
  useEradication,
  useReleasePlan,
  useRestores,
} from './use-response.ts';

/** A duration in the largest units that keep it readable: 3 d 4 h, 2 h 5 min, 40 s. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h ${min % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

const METRICS: readonly [keyof Closure['metrics'], string][] = [
  ['timeToDetectMs', 'Time to detect'],
  ['timeToAcknowledgeMs', 'Time to acknowledge'],
  ['timeToIdentifyMs', 'Time to identify'],
  ['timeToContainMs', 'Time to contain'],
  ['timeToEradicateMs', 'Time to eradicate'],
  ['timeToRecoverMs', 'Time to recover'],
  ['timeToVerifyMs', 'Time to verify'],
  ['timeToCloseMs', 'Time to close'],
];

function Card({ title, children }: { readonly title: string; readonly children: ReactNode }) {
  return (
    <Stack gap={4} component="section" aria-label={title}>
      <Title order={2} size="h5">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

const holds = (ok: boolean, text: string) => (
  <Text size="sm">
    <Badge size="xs" color={ok ? 'green' : 'red'} variant="light" c="dark.9" mr={6}>
      {ok ? 'holds' : 'open'}
    </Badge>
    {text}
  </Text>
);

function MetricsCard(props: { readonly tenantId: string; readonly incidentId: string }) {
  const closure = useClosure(props.tenantId, props.incidentId);
  if (closure.isPending) return <LoadingState label="Loading metrics…" />;
  if (closure.error) return <ErrorState error={closure.error} />;
  const c = closure.data;
  return (
    <Card title="Metrics">
      <Table aria-label="Incident metrics" withRowBorders={false}>
        <Table.Tbody>
          {METRICS.map(([key, name]) => (
            <Table.Tr key={key}>
              <Table.Th scope="row">{name}</Table.Th>
              <Table.Td>{formatDuration(c.metrics[key])}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs">
        Reopened {c.reopened}× · {c.changeRecords} change records · restores {c.restores.succeeded}{' '}
        ok / {c.restores.failed} failed / {c.restores.pending} pending · checks {c.checks.passing}/
        {c.checks.total} passing · closing review{' '}
        {c.review ? `by ${c.review.author}` : 'not written'}
        {c.openFollowUps > 0 ? ` · ${c.openFollowUps} open follow-ups` : ''}
      </Text>
    </Card>
  );
}

function EradicationCard(props: { readonly tenantId: string; readonly incidentId: string }) {
  const eradication = useEradication(props.tenantId, props.incidentId);
  if (eradication.isPending) return <LoadingState label="Loading eradication…" />;
  if (eradication.error) return <ErrorState error={eradication.error} />;
  const e = eradication.data;
  return (
    <Card title="Eradication">
      {e.steps.length === 0 ? (
        <Text size="sm" c="dimmed">
          No eradication steps
        </Text>
      ) : (
        <List size="sm" spacing={2}>
          {e.steps.map((s) => (
            <List.Item key={s.id}>
              {s.title} ({s.kind}): {s.state}
            </List.Item>
          ))}
        </List>
      )}
      {holds(
        e.unmet.length === 0,
        e.unmet.length === 0 ? 'the eradicated guard is met' : e.unmet.join('; '),
      )}
    </Card>
  );
}

function RecoveryCard(props: { readonly tenantId: string; readonly incidentId: string }) {
  const plan = useReleasePlan(props.tenantId, props.incidentId);
  const changes = useChanges(props.tenantId, props.incidentId);
  const restores = useRestores(props.tenantId, props.incidentId);
  const error = plan.error ?? changes.error ?? restores.error;
  if (error) return <ErrorState error={error} />;
  if (!plan.data || !changes.data || !restores.data)
    return <LoadingState label="Loading recovery…" />;
  const open = changes.data.suggestions.filter((s) => !s.adopted);
  return (
    <Card title="Recovery">
      {plan.data.checklist.map((c) => (
        <div key={c.item}>{holds(c.holds, `${c.item.replace(/_/g, ' ')}: ${c.detail}`)}</div>
      ))}
      <Text size="sm">
        {plan.data.ready ? 'Ready to release' : 'Not ready to release'} ·{' '}
        {plan.data.isolations.length} isolation{plan.data.isolations.length === 1 ? '' : 's'} to
        release
      </Text>
      <Text size="sm">
        {changes.data.items.length} change record{changes.data.items.length === 1 ? '' : 's'};{' '}
        {restores.data.length} restore{restores.data.length === 1 ? '' : 's'} (
        {restores.data.map((r) => r.status).join(', ') || 'none'})
      </Text>
      {open.length > 0 && (
        <Text size="xs" c="dimmed">
          Suggested mitigations:{' '}
          {open
            .slice(0, 6)
            .map((s) => `${s.mitigationId} ${s.name}`)
            .join('; ')}
        </Text>
      )}
    </Card>
  );
}

function VerificationCard(props: { readonly tenantId: string; readonly incidentId: string }) {
  const checks = useChecks(props.tenantId, props.incidentId);
  if (checks.isPending) return <LoadingState label="Loading verification…" />;
  if (checks.error) return <ErrorState error={checks.error} />;
  return (
    <Card title="Verification">
      {checks.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          No checks yet (re-hunt, reachability, detection replay)
        </Text>
      ) : (
        checks.data.map((c) => (
          <div key={c.id}>
            {holds(
              c.lastStatus === 'passed',
              `${c.title} (${c.kind}): ${c.lastStatus ?? 'not run'}`,
            )}
          </div>
        ))
      )}
    </Card>
  );
}

export function ResponseStatusPanel(props: {
  readonly tenantId: string;
  readonly incidentId: string;
}) {
  return (
    <SimpleGrid cols={2} spacing="lg">
      <MetricsCard {...props} />
      <EradicationCard {...props} />
      <RecoveryCard {...props} />
      <VerificationCard {...props} />
    </SimpleGrid>
  );
}
