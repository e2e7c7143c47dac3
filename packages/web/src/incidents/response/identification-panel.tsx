/**
 * The identification facts as the server inferred them — attack category, ATT&CK techniques and
 * tactics with their names, affected assets with criticality and the business functions they
 * run, origins with class, country and ASN, first and last activity — each with where it came
 * from. An analyst corrects a fact here (remove it, or set one by hand); the server journals the
 * correction and keeps it over later inference.
 */
import {
  Badge,
  Button,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../../shared/query-states.tsx';
import { describeSources } from './fact-source.ts';
import type {
  AttackCategory,
  FactKindValue,
  Identification,
  IdentificationCorrection,
} from './response-types.ts';
import { useCorrectIdentification, useIdentification } from './use-response.ts';

const CATEGORIES: readonly AttackCategory[] = [
  'malware',
  'ransomware',
  'credential_attack',
  'phishing',
  'web_attack',
  'lateral_movement',
  'command_and_control',
  'data_exfiltration',
  'insider',
  'denial_of_service',
];
const label = (category: string) => category.replace(/_/g, ' ');

interface Pending {
  readonly title: string;
  readonly correction: IdentificationCorrection;
}

function Section({
  title,
  children,
}: {
  readonly title: string;
  readonly children: React.ReactNode;
}) {
  return (
    <Stack gap={4}>
      <Title order={2} size="h5">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

function RemoveButton(props: {
  readonly kind: FactKindValue;
  readonly factKey: string;
  readonly what: string;
  readonly onAsk: (p: Pending) => void;
}) {
  return (
    <Button
      size="compact-xs"
      variant="subtle"
      color="red"
      aria-label={`Remove ${props.what}`}
      onClick={() =>
        props.onAsk({
          title: `Remove ${props.what}`,
          correction: { action: 'remove', kind: props.kind, key: props.factKey },
        })
      }
    >
      Remove
    </Button>
  );
}

function TechniqueTable({ id, onAsk, writable }: FactTableProps) {
  if (id.techniques.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No techniques
      </Text>
    );
  return (
    <Table aria-label="ATT&CK techniques" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Technique</Table.Th>
          <Table.Th scope="col">Name</Table.Th>
          <Table.Th scope="col">Tactics</Table.Th>
          <Table.Th scope="col">Source</Table.Th>
          {writable && <Table.Th scope="col">Correct</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {id.techniques.map((t) => (
          <Table.Tr key={t.key}>
            <Table.Td>{t.id}</Table.Td>
            <Table.Td>{t.name ?? 'not in the catalogue'}</Table.Td>
            <Table.Td>{t.tactics.join(', ') || '—'}</Table.Td>
            <Table.Td>
              <Text size="xs">{describeSources(t.sources)}</Text>
            </Table.Td>
            {writable && (
              <Table.Td>
                <RemoveButton
                  kind="technique"
                  factKey={t.key}
                  what={`technique ${t.id}`}
                  onAsk={onAsk}
                />
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function AssetTable({ id, onAsk, writable }: FactTableProps) {
  if (id.assets.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No affected assets
      </Text>
    );
  return (
    <Table aria-label="Affected assets" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Asset</Table.Th>
          <Table.Th scope="col">Criticality</Table.Th>
          <Table.Th scope="col">Owner · segment</Table.Th>
          <Table.Th scope="col">Business functions</Table.Th>
          <Table.Th scope="col">Source</Table.Th>
          {writable && <Table.Th scope="col">Correct</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {id.assets.map((a) => (
          <Table.Tr key={a.key}>
            <Table.Td>
              <Text size="sm">{a.name}</Text>
              <Text size="xs" c="dimmed">
                {a.assetKind ?? (a.assetId ? '' : 'not in the inventory')}
              </Text>
            </Table.Td>
            <Table.Td>{a.criticality ?? '—'}</Table.Td>
            <Table.Td>
              {a.owner ?? '—'} · {a.segment ? `${a.segment.name} (${a.segment.zone})` : '—'}
            </Table.Td>
            <Table.Td>
              {a.functions.length === 0
                ? '—'
                : a.functions.map((f) => (
                    <Text size="xs" key={f.id}>
                      {f.name}: MTD {f.mtdMinutes} min, {f.costPerHour.toLocaleString()}/h
                    </Text>
                  ))}
            </Table.Td>
            <Table.Td>
              <Text size="xs">{describeSources(a.sources)}</Text>
            </Table.Td>
            {writable && (
              <Table.Td>
                <RemoveButton kind="asset" factKey={a.key} what={`asset ${a.name}`} onAsk={onAsk} />
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function OriginTable({ id, onAsk, writable }: FactTableProps) {
  if (id.origins.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No origins
      </Text>
    );
  return (
    <Table aria-label="Origins" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Address</Table.Th>
          <Table.Th scope="col">Class</Table.Th>
          <Table.Th scope="col">Country · ASN</Table.Th>
          <Table.Th scope="col">Source</Table.Th>
          {writable && <Table.Th scope="col">Correct</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {id.origins.map((o) => (
          <Table.Tr key={o.key}>
            <Table.Td>{o.address}</Table.Td>
            <Table.Td>
              {o.class}
              {o.segment ? ` (${o.segment.name})` : o.range ? ` (${o.range})` : ''}
            </Table.Td>
            <Table.Td>
              {o.country ?? '—'} · {o.asn === null ? '—' : `AS${o.asn}`}
              {o.asOrganisation ? ` ${o.asOrganisation}` : ''}
            </Table.Td>
            <Table.Td>
              <Text size="xs">{describeSources(o.sources)}</Text>
            </Table.Td>
            {writable && (
              <Table.Td>
                <RemoveButton
                  kind="origin"
                  factKey={o.key}
                  what={`origin ${o.address}`}
                  onAsk={onAsk}
                />
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

interface FactTableProps {
  readonly id: Identification;
  readonly writable: boolean;
  readonly onAsk: (p: Pending) => void;
}

type AddKind = 'technique' | 'asset' | 'origin' | 'tactic';
const ADD_KINDS: readonly { value: AddKind; label: string }[] = [
  { value: 'technique', label: 'ATT&CK technique' },
  { value: 'tactic', label: 'ATT&CK tactic' },
  { value: 'asset', label: 'Affected asset' },
  { value: 'origin', label: 'Origin address' },
];

function correctionFor(kind: AddKind, value: string): IdentificationCorrection {
  switch (kind) {
    case 'technique':
      return { action: 'set', kind, id: value.toUpperCase() };
    case 'tactic':
      return { action: 'set', kind, shortname: value };
    case 'asset':
      return { action: 'set', kind, name: value };
    case 'origin':
      return { action: 'set', kind, address: value };
  }
}

function AddFact({ onAsk }: { readonly onAsk: (p: Pending) => void }) {
  const [kind, setKind] = useState<AddKind>('technique');
  const [value, setValue] = useState('');
  return (
    <Group gap="xs" align="flex-end">
      <Select
        label="Add a fact"
        size="xs"
        w={180}
        data={ADD_KINDS}
        value={kind}
        onChange={(v) => v && setKind(v)}
        allowDeselect={false}
      />
      <TextInput
        label="Value"
        size="xs"
        placeholder={kind === 'technique' ? 'T1059.001' : kind === 'tactic' ? 'execution' : ''}
        value={value}
        onChange={(e) => setValue(e.currentTarget.value)}
      />
      <Button
        size="xs"
        variant="light"
        disabled={value.trim() === ''}
        onClick={() => {
          onAsk({ title: `Add ${value.trim()}`, correction: correctionFor(kind, value.trim()) });
          setValue('');
        }}
      >
        Add…
      </Button>
    </Group>
  );
}

function CorrectionDialog(props: {
  readonly pending: Pending | undefined;
  readonly onClose: () => void;
  readonly onConfirm: (correction: IdentificationCorrection) => void;
  readonly busy: boolean;
}) {
  const [reason, setReason] = useState('');
  const { pending } = props;
  return (
    <Modal opened={pending !== undefined} onClose={props.onClose} title={pending?.title ?? ''}>
      <Stack>
        <Text size="sm">The correction is journalled and wins over later inference.</Text>
        <TextInput
          label="Reason"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          data-autofocus
        />
        <Button
          loading={props.busy}
          onClick={() => {
            if (!pending) return;
            props.onConfirm({
              ...pending.correction,
              ...(reason.trim() ? { reason: reason.trim() } : {}),
            });
            setReason('');
          }}
        >
          Record the correction
        </Button>
      </Stack>
    </Modal>
  );
}

export function IdentificationPanel({
  tenantId,
  incidentId,
  writable,
}: {
  readonly tenantId: string;
  readonly incidentId: string;
  readonly writable: boolean;
}) {
  const identification = useIdentification(tenantId, incidentId);
  const correct = useCorrectIdentification(tenantId, incidentId);
  const [pending, setPending] = useState<Pending | undefined>();

  if (identification.isPending) return <LoadingState label="Loading identification…" />;
  if (identification.error)
    return <ErrorState error={identification.error} retry={() => void identification.refetch()} />;
  const id = identification.data;
  const confirm = (correction: IdentificationCorrection) =>
    correct.mutate(correction, {
      onSuccess: () => {
        setPending(undefined);
        notifications.show({ color: 'green', message: 'Correction recorded' });
      },
      onError: (error) =>
        notifications.show({ color: 'red', title: 'Not recorded', message: error.message }),
    });
  const empty =
    !id.category && id.assets.length === 0 && id.techniques.length === 0 && id.origins.length === 0;

  return (
    <Stack gap="md">
      {empty && (
        <EmptyState title="Nothing identified yet">
          Facts fill in when an alert joins the incident; add them by hand below.
        </EmptyState>
      )}
      <Section title="Attack category">
        <Group gap="sm">
          {id.category ? (
            <>
              <Badge variant="light" c="dark.9" size="lg">
                {label(id.category.category)}
              </Badge>
              <Text size="xs">{describeSources(id.category.sources)}</Text>
            </>
          ) : (
            <Text size="sm" c="dimmed">
              Not derived
            </Text>
          )}
          {writable && (
            <Select
              aria-label="Correct the attack category"
              placeholder="Correct the category…"
              size="xs"
              w={220}
              data={CATEGORIES.map((c) => ({ value: c, label: label(c) }))}
              value={null}
              onChange={(v) =>
                v &&
                setPending({
                  title: `Set the category to ${label(v)}`,
                  correction: { action: 'set', kind: 'category', category: v },
                })
              }
            />
          )}
        </Group>
      </Section>
      <Section title="ATT&CK techniques">
        <TechniqueTable id={id} writable={writable} onAsk={setPending} />
        <Text size="xs" c="dimmed">
          Tactics: {id.tactics.map((t) => `${t.name} (${t.id})`).join(', ') || '—'} · names from{' '}
          {id.catalogue.source} {id.catalogue.version}
        </Text>
      </Section>
      <Section title="Affected assets">
        <AssetTable id={id} writable={writable} onAsk={setPending} />
      </Section>
      <Section title="Origins">
        <OriginTable id={id} writable={writable} onAsk={setPending} />
        <Text size="xs" c="dimmed">
          Country and ASN: {id.geoDatabase ?? 'no geo database configured'}
        </Text>
      </Section>
      <Section title="Activity">
        <Text size="sm">
          First {id.firstActivity ? new Date(id.firstActivity.at).toLocaleString() : '—'} · last{' '}
          {id.lastActivity ? new Date(id.lastActivity.at).toLocaleString() : '—'}
        </Text>
      </Section>
      {id.removed.length > 0 && (
        <Text size="xs" c="dimmed">
          Removed by an analyst: {id.removed.map((r) => r.label).join(', ')}
        </Text>
      )}
      {writable && <AddFact onAsk={setPending} />}
      <CorrectionDialog
        pending={pending}
        onClose={() => setPending(undefined)}
        onConfirm={confirm}
        busy={correct.isPending}
      />
    </Stack>
  );
}
