/**
 * Summary and the facts the phase guards ask for: affected assets, ATT&CK techniques, origins
 * with their class, the containment record, root cause and scope, lessons learned. Edited in
 * place and saved together (only what changed is sent).
 */
import {
  ActionIcon,
  Button,
  Group,
  Select,
  Stack,
  TagsInput,
  Table,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { Incident, IncidentChanges } from '../../api/api-types.ts';
import { useUpdateIncident } from '../use-incidents.ts';

type Origin = Incident['origins'][number];
type Scope = Origin['scope'];

interface Draft {
  summary: string;
  affectedAssets: string[];
  attackTechniques: string[];
  origins: Origin[];
  containmentNote: string;
  rootCause: string;
  scope: string;
  lessonsLearned: string;
}

function draftOf(incident: Incident): Draft {
  return {
    summary: incident.summary,
    affectedAssets: [...incident.affectedAssets],
    attackTechniques: [...incident.attackTechniques],
    origins: [...incident.origins],
    containmentNote: incident.containmentNote ?? '',
    rootCause: incident.rootCause ?? '',
    scope: incident.scope ?? '',
    lessonsLearned: incident.lessonsLearned ?? '',
  };
}

const text = (value: string): string | null => (value.trim() === '' ? null : value.trim());
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function changesOf(incident: Incident, draft: Draft): IncidentChanges {
  const base = draftOf(incident);
  const changes: IncidentChanges = {};
  if (draft.summary !== base.summary) changes.summary = draft.summary;
  if (!same(draft.affectedAssets, base.affectedAssets))
    changes.affectedAssets = draft.affectedAssets;
  if (!same(draft.attackTechniques, base.attackTechniques))
    changes.attackTechniques = draft.attackTechniques;
  if (!same(draft.origins, base.origins)) changes.origins = draft.origins;
  if (draft.containmentNote !== base.containmentNote)
    changes.containmentNote = text(draft.containmentNote);
  if (draft.rootCause !== base.rootCause) changes.rootCause = text(draft.rootCause);
  if (draft.scope !== base.scope) changes.scope = text(draft.scope);
  if (draft.lessonsLearned !== base.lessonsLearned)
    changes.lessonsLearned = text(draft.lessonsLearned);
  return changes;
}

function OriginsEditor({
  origins,
  onChange,
  readOnly,
}: {
  origins: Origin[];
  onChange: (o: Origin[]) => void;
  readOnly: boolean;
}) {
  const [address, setAddress] = useState('');
  const [scope, setScope] = useState<Scope>('external');
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id="origins-label">
        Origins
      </Text>
      {origins.length === 0 ? (
        <Text size="sm" c="dimmed">
          None recorded
        </Text>
      ) : (
        <Table aria-labelledby="origins-label" withRowBorders={false}>
          <Table.Tbody>
            {origins.map((o, i) => (
              <Table.Tr key={`${o.address}-${i}`}>
                <Table.Td>{o.address}</Table.Td>
                <Table.Td>{o.scope}</Table.Td>
                {!readOnly && (
                  <Table.Td w={40}>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`Remove origin ${o.address}`}
                      onClick={() => onChange(origins.filter((_, j) => j !== i))}
                    >
                      ×
                    </ActionIcon>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {!readOnly && (
        <Group gap="xs" align="flex-end">
          <TextInput
            label="Origin address"
            size="xs"
            value={address}
            onChange={(e) => setAddress(e.currentTarget.value)}
          />
          <Select
            label="Origin class"
            size="xs"
            w={130}
            data={['external', 'internal', 'unknown']}
            value={scope}
            onChange={(v) => v && setScope(v)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <Button
            size="xs"
            variant="light"
            disabled={address.trim() === ''}
            onClick={() => {
              onChange([...origins, { address: address.trim(), scope }]);
              setAddress('');
            }}
          >
            Add origin
          </Button>
        </Group>
      )}
    </Stack>
  );
}

export function FactsPanel({
  tenantId,
  incident,
  writable,
}: {
  readonly tenantId: string;
  readonly incident: Incident;
  readonly writable: boolean;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(incident));
  const update = useUpdateIncident(tenantId, incident.id);
  // A change from elsewhere (live update) replaces the draft only while nothing is being edited.
  const changes = changesOf(incident, draft);
  const dirty = Object.keys(changes).length > 0;
  useEffect(() => {
    if (!dirty) setDraft(draftOf(incident));
  }, [incident]);
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setDraft((d) => ({ ...d, [key]: value }));
  const readOnly = !writable;

  return (
    <Stack gap="sm" maw={820}>
      <Textarea
        label="Summary"
        autosize
        minRows={2}
        value={draft.summary}
        readOnly={readOnly}
        onChange={(e) => set('summary')(e.currentTarget.value)}
      />
      <TagsInput
        label="Affected assets"
        description="Host names or asset ids; Enter adds one"
        value={draft.affectedAssets}
        readOnly={readOnly}
        onChange={set('affectedAssets')}
      />
      <TagsInput
        label="ATT&CK techniques"
        description="Technique or tactic ids, e.g. T1110 or T1059.001"
        value={draft.attackTechniques}
        readOnly={readOnly}
        onChange={(v) => set('attackTechniques')(v.map((t) => t.trim().toUpperCase()))}
      />
      <OriginsEditor origins={draft.origins} onChange={set('origins')} readOnly={readOnly} />
      <Textarea
        label="Containment record"
        description="What was contained, or why not"
        autosize
        minRows={2}
        value={draft.containmentNote}
        readOnly={readOnly}
        onChange={(e) => set('containmentNote')(e.currentTarget.value)}
      />
      <Textarea
        label="Root cause"
        autosize
        minRows={2}
        value={draft.rootCause}
        readOnly={readOnly}
        onChange={(e) => set('rootCause')(e.currentTarget.value)}
      />
      <Textarea
        label="Scope"
        autosize
        minRows={2}
        value={draft.scope}
        readOnly={readOnly}
        onChange={(e) => set('scope')(e.currentTarget.value)}
      />
      <Textarea
        label="Lessons learned"
        autosize
        minRows={2}
        value={draft.lessonsLearned}
        readOnly={readOnly}
        onChange={(e) => set('lessonsLearned')(e.currentTarget.value)}
      />
      {writable && (
        <Group>
          <Button
            disabled={!dirty}
            loading={update.isPending}
            onClick={() =>
              update.mutate(changes, {
                onSuccess: () => notifications.show({ color: 'green', message: 'Facts saved' }),
                onError: (error) =>
                  notifications.show({ color: 'red', title: 'Not saved', message: error.message }),
              })
            }
          >
            Save facts
          </Button>
          <Button variant="subtle" disabled={!dirty} onClick={() => setDraft(draftOf(incident))}>
            Discard changes
          </Button>
        </Group>
      )}
    </Stack>
  );
}
