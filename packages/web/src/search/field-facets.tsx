/** The top values of one field over the current search (server-side terms), each a pivot. */
import { Badge, Group, Select, Stack, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { ErrorState, LoadingState } from '../shared/query-states.tsx';
import type { EventField } from './event-fields.ts';
import type { EventFilter } from './use-event-search.ts';
import { useEventTerms } from './use-event-search.ts';

export function FieldFacets({
  tenantId,
  filter,
  fields,
  field,
  onFieldChange,
  onNarrow,
  enabled,
}: {
  readonly tenantId: string;
  readonly filter: EventFilter;
  readonly fields: readonly string[];
  readonly field: string | undefined;
  readonly onFieldChange: (field: string | undefined) => void;
  readonly onNarrow: (field: EventField) => void;
  readonly enabled: boolean;
}) {
  const terms = useEventTerms(tenantId, filter, field, enabled);
  return (
    <Stack gap="xs" component="section" aria-label="Top values">
      <Select
        label="Top values of"
        data={[...fields]}
        value={field ?? null}
        onChange={(v) => onFieldChange(v ?? undefined)}
        size="sm"
        searchable
        clearable
        comboboxProps={{ withinPortal: true }}
      />
      {field === undefined ? null : terms.isPending ? (
        <LoadingState label="Counting…" />
      ) : terms.error ? (
        <ErrorState error={terms.error} />
      ) : terms.data.terms.length === 0 ? (
        <Text size="sm" c="dimmed">
          No values.
        </Text>
      ) : (
        <Stack gap={2} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {terms.data.terms.map((t) => (
            <li key={String(t.value)}>
              <UnstyledButton w="100%" onClick={() => onNarrow({ field, value: t.value })}>
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Text size="sm" ff="monospace" truncate>
                    <VisuallyHidden>Narrow to {field}: </VisuallyHidden>
                    {t.value === null ? 'null' : String(t.value)}
                  </Text>
                  <Badge variant="light" size="sm" c="dark.9">
                    {t.count.toLocaleString()}
                    <VisuallyHidden> events</VisuallyHidden>
                  </Badge>
                </Group>
              </UnstyledButton>
            </li>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
