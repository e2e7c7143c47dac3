/**
 * The phase stepper: where the incident is, what the next phase's guard still needs (asked of
 * the server, which runs the same guard as the transition), the move itself, and for an
 * incident lead an override with a written justification. A refusal shows the server's list.
 */
import {
  Alert,
  Button,
  Group,
  List,
  Modal,
  Select,
  Stack,
  Stepper,
  Text,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { unmetConditions } from '../../api/api-error.ts';
import type { Incident, Phase, TransitionInput } from '../../api/api-types.ts';
import { PHASES, PHASE_LABEL } from '../../api/vocabulary.ts';
import { useNextPhase, useTransition } from '../use-incidents.ts';

type Closure = NonNullable<TransitionInput['closureReason']>;

export function PhaseStepper({
  tenantId,
  incident,
  writable,
  canOverride,
}: {
  readonly tenantId: string;
  readonly incident: Incident;
  readonly writable: boolean;
  readonly canOverride: boolean;
}) {
  const next = useNextPhase(tenantId, incident.id);
  const transition = useTransition(tenantId, incident.id);
  const [overriding, setOverriding] = useState(false);
  const [justification, setJustification] = useState('');
  const [closure, setClosure] = useState<Closure>('resolved');
  const [refused, setRefused] = useState<readonly string[]>([]);
  const active = PHASES.indexOf(incident.phase);
  const to: Phase | null = next.data?.to ?? null;

  const move = (overrideJustification?: string) => {
    if (!to) return;
    setRefused([]);
    transition.mutate(
      {
        to,
        ...(to === 'closed' ? { closureReason: closure } : {}),
        ...(overrideJustification ? { overrideJustification } : {}),
      },
      {
        onSuccess: (result) => {
          setOverriding(false);
          setJustification('');
          notifications.show({
            color: 'green',
            message: `Moved to ${PHASE_LABEL[result.incident.phase]}${result.transition.overrideJustification ? ' (guard overridden)' : ''}`,
          });
        },
        onError: (error) => {
          const unmet = unmetConditions(error);
          setRefused(unmet.length > 0 ? unmet : [error.message]);
        },
      },
    );
  };

  return (
    <Stack gap="sm">
      <Stepper
        active={incident.phase === 'closed' ? PHASES.length : active}
        size="xs"
        allowNextStepsSelect={false}
        aria-label="Phases"
      >
        {PHASES.map((phase) => (
          <Stepper.Step
            key={phase}
            label={PHASE_LABEL[phase]}
            description={
              incident.phaseTimes[phase]
                ? new Date(incident.phaseTimes[phase]).toLocaleDateString()
                : undefined
            }
            aria-current={phase === incident.phase ? 'step' : undefined}
          />
        ))}
      </Stepper>
      {next.data && next.data.check !== 'final' && to && (
        <Stack gap="xs" aria-label="Next phase" role="region">
          <Text size="sm" fw={600}>
            Next: {PHASE_LABEL[to]}
          </Text>
          {next.data.check === 'guarded' && (
            <Alert color="yellow" title={`Before ${PHASE_LABEL[to]}, still needed`} p="xs">
              <List size="sm">
                {next.data.unmet.map((u) => (
                  <List.Item key={u}>{u}</List.Item>
                ))}
              </List>
            </Alert>
          )}
          {next.data.check === 'allowed' && (
            <Text size="sm">✓ Everything {PHASE_LABEL[to]} needs is recorded.</Text>
          )}
          {next.data.check === 'invalid' && next.data.reason && (
            <Text size="sm">{next.data.reason}</Text>
          )}
          {refused.length > 0 && (
            <Alert color="red" title="The move was refused" role="alert" p="xs">
              <List size="sm">
                {refused.map((u) => (
                  <List.Item key={u}>{u}</List.Item>
                ))}
              </List>
            </Alert>
          )}
          {writable && (
            <Group gap="xs" align="flex-end">
              {to === 'closed' && (
                <Select
                  label="Closure reason"
                  size="xs"
                  w={180}
                  data={[
                    { value: 'resolved', label: 'Resolved' },
                    { value: 'false_positive', label: 'False positive' },
                  ]}
                  value={closure}
                  onChange={(v) => v && setClosure(v)}
                  allowDeselect={false}
                  comboboxProps={{ withinPortal: true }}
                />
              )}
              <Button
                size="xs"
                onClick={() => move()}
                loading={transition.isPending && !overriding}
              >
                Move to {PHASE_LABEL[to]}
              </Button>
              {canOverride && next.data.check === 'guarded' && (
                <Button
                  size="xs"
                  variant="outline"
                  color="orange"
                  onClick={() => setOverriding(true)}
                >
                  Override guard…
                </Button>
              )}
            </Group>
          )}
        </Stack>
      )}
      <Modal
        opened={overriding}
        onClose={() => setOverriding(false)}
        title={`Move to ${to ? PHASE_LABEL[to] : ''} without what the guard needs`}
      >
        <Stack>
          <Text size="sm">The override and its justification are recorded in the journal.</Text>
          <Textarea
            label="Justification"
            description="Why the incident may move on now (10 characters or more)"
            required
            minRows={3}
            value={justification}
            onChange={(e) => setJustification(e.currentTarget.value)}
            data-autofocus
          />
          {refused.length > 0 && (
            <Alert color="red" role="alert" p="xs">
              {refused.join('; ')}
            </Alert>
          )}
          <Button
            color="orange"
            disabled={justification.trim().length < 10}
            loading={transition.isPending}
            onClick={() => move(justification.trim())}
          >
            Override and move
          </Button>
        </Stack>
      </Modal>
    </Stack>
  );
}
