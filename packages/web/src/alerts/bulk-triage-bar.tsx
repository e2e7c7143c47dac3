/**
 * Bulk triage of the selected alerts: acknowledge, close (with a reason), suppress (reason and
 * expiry), or attach to an incident (an existing one by reference, or a new one).
 */
import {
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { plural } from '../shared/plural.ts';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, tenantPath } from '../api/api-client.ts';
import type { Alert, Incident, Page, Severity } from '../api/api-types.ts';
import { queryKeys } from '../api/query-keys.ts';
import { SEVERITIES } from '../api/vocabulary.ts';
import type { BulkOutcome, BulkTriage } from './use-alerts.ts';
import { useBulkTriage } from './use-alerts.ts';

type Dialog = 'close' | 'suppress' | 'attach' | undefined;

const LEVEL_TO_SEVERITY: Readonly<Record<Alert['level'], Severity>> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  informational: 'low',
};

function report(outcome: BulkOutcome, verb: string) {
  if (outcome.failed.length === 0) {
    notifications.show({ color: 'green', message: `${plural(outcome.done, 'alert')} ${verb}` });
  } else {
    notifications.show({
      color: 'red',
      title: `${plural(outcome.failed.length, 'alert')} not ${verb}`,
      message: outcome.failed[0]?.message ?? '',
    });
  }
}

export function BulkTriageBar({
  tenantId,
  selected,
  onDone,
}: {
  readonly tenantId: string;
  readonly selected: readonly Alert[];
  readonly onDone: () => void;
}) {
  const triage = useBulkTriage(tenantId);
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<Dialog>();
  const [reason, setReason] = useState('');
  const [expiryDays, setExpiryDays] = useState<number | string>(7);
  const [attachTo, setAttachTo] = useState<string | null>('new');
  const first = selected[0];
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity | null>(null);
  const incidents = useQuery({
    queryKey: [...queryKeys.incidents(tenantId), 'open-for-attach'],
    queryFn: () => api.get<Page<Incident>>(tenantPath(tenantId, 'incidents'), { limit: 100 }),
    enabled: dialog === 'attach',
  });

  const run = (command: BulkTriage, verb: string) =>
    triage.mutate(
      { alerts: selected, triage: command },
      {
        onSuccess: (outcome) => {
          report(outcome, verb);
          setDialog(undefined);
          setReason('');
          onDone();
          if (
            outcome.incidentId &&
            (command.kind === 'attach' || command.kind === 'new-incident')
          ) {
            void navigate(`/t/${tenantId}/incidents/${outcome.incidentId}`);
          }
        },
        onError: (error) =>
          notifications.show({ color: 'red', title: 'Triage failed', message: error.message }),
      },
    );

  const openAttach = () => {
    setTitle(
      first
        ? `${first.ruleTitle}${first.entities.hosts[0] ? ` on ${first.entities.hosts[0]}` : ''}`
        : '',
    );
    setSeverity(first ? LEVEL_TO_SEVERITY[first.level] : 'medium');
    setAttachTo('new');
    setDialog('attach');
  };

  const disabled = selected.length === 0 || triage.isPending;
  return (
    <>
      <Group gap="xs" role="toolbar" aria-label="Bulk triage">
        <Text size="sm" aria-live="polite">
          {selected.length} selected
        </Text>
        <Button
          size="xs"
          variant="light"
          disabled={disabled}
          onClick={() => run({ kind: 'acknowledge' }, 'acknowledged')}
        >
          Acknowledge
        </Button>
        <Button size="xs" variant="light" disabled={disabled} onClick={() => setDialog('close')}>
          Close…
        </Button>
        <Button size="xs" variant="light" disabled={disabled} onClick={() => setDialog('suppress')}>
          Suppress…
        </Button>
        <Button size="xs" disabled={disabled} onClick={openAttach}>
          Attach to incident…
        </Button>
      </Group>

      <Modal
        opened={dialog === 'close'}
        onClose={() => setDialog(undefined)}
        title={`Close ${plural(selected.length, 'alert')}`}
      >
        <Stack>
          <Textarea
            label="Reason"
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            data-autofocus
          />
          <Button
            disabled={reason.trim() === ''}
            loading={triage.isPending}
            onClick={() => run({ kind: 'close', reason: reason.trim() }, 'closed')}
          >
            Close alerts
          </Button>
        </Stack>
      </Modal>

      <Modal
        opened={dialog === 'suppress'}
        onClose={() => setDialog(undefined)}
        title={`Suppress ${plural(selected.length, 'alert')}`}
      >
        <Stack>
          <Text size="sm">
            Future alerts of the same rule on the same host are suppressed; these alerts are closed.
          </Text>
          <Textarea
            label="Reason"
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            data-autofocus
          />
          <NumberInput
            label="Expires after (days)"
            description="Empty: never expires"
            min={1}
            max={365}
            value={expiryDays}
            onChange={setExpiryDays}
          />
          <Button
            disabled={reason.trim() === ''}
            loading={triage.isPending}
            onClick={() =>
              run(
                {
                  kind: 'suppress',
                  reason: reason.trim(),
                  expiresAt:
                    typeof expiryDays === 'number'
                      ? new Date(Date.now() + expiryDays * 86_400_000).toISOString()
                      : null,
                },
                'suppressed',
              )
            }
          >
            Suppress
          </Button>
        </Stack>
      </Modal>

      <Modal
        opened={dialog === 'attach'}
        onClose={() => setDialog(undefined)}
        title={`Attach ${plural(selected.length, 'alert')} to an incident`}
      >
        <Stack>
          <Select
            label="Incident"
            data={[
              { value: 'new', label: 'A new incident' },
              ...(incidents.data?.items ?? [])
                .filter((i) => i.phase !== 'closed')
                .map((i) => ({ value: i.id, label: `${i.reference} ${i.title}` })),
            ]}
            value={attachTo}
            onChange={setAttachTo}
            searchable
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          {attachTo === 'new' && (
            <>
              <TextInput
                label="Title"
                required
                value={title}
                onChange={(e) => setTitle(e.currentTarget.value)}
              />
              <Select
                label="Severity"
                data={SEVERITIES.map((s) => ({ value: s, label: s }))}
                value={severity}
                onChange={(v) => setSeverity(v)}
                allowDeselect={false}
                comboboxProps={{ withinPortal: true }}
              />
            </>
          )}
          <Button
            loading={triage.isPending}
            disabled={
              attachTo === null ||
              (attachTo === 'new' && (title.trim() === '' || severity === null))
            }
            onClick={() =>
              attachTo === 'new'
                ? run(
                    {
                      kind: 'new-incident',
                      incident: { title: title.trim(), severity: severity ?? 'medium' },
                    },
                    'attached',
                  )
                : attachTo && run({ kind: 'attach', incidentId: attachTo }, 'attached')
            }
          >
            {attachTo === 'new' ? 'Create incident and attach' : 'Attach'}
          </Button>
        </Stack>
      </Modal>
    </>
  );
}
