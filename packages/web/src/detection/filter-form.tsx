/**
 * The form behind a new exclusion or suppression: the rule it is for (or every rule), field
 * conditions, the reason (journaled) and, for suppressions, when it expires. The server checks
 * it again and its refusal is shown as it says it.
 */
import { Button, Group, NumberInput, Stack, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { ErrorState } from '../shared/query-states.tsx';
import type { FieldConditions } from './field-filter.ts';
import { parseFieldConditions } from './field-filter.ts';

export interface FilterInput {
  readonly ruleId: string | null;
  readonly fields: FieldConditions;
  readonly reason: string;
  readonly expiresAt: string | null;
}

export function FilterForm({
  noun,
  withExpiry,
  pending,
  error,
  onSubmit,
}: {
  readonly noun: 'exclusion' | 'suppression';
  readonly withExpiry: boolean;
  readonly pending: boolean;
  readonly error: Error | null;
  readonly onSubmit: (input: FilterInput, done: () => void) => void;
}) {
  const [ruleId, setRuleId] = useState('');
  const [fields, setFields] = useState('');
  const [reason, setReason] = useState('');
  const [days, setDays] = useState<string | number>('');
  const parsed = parseFieldConditions(fields);
  const empty = ruleId.trim() === '' && parsed.ok && Object.keys(parsed.fields).length === 0;

  return (
    <Stack gap="sm" maw={640}>
      <TextInput
        label="Rule id or name"
        description="Empty: every rule"
        value={ruleId}
        onChange={(event) => setRuleId(event.currentTarget.value)}
      />
      <Textarea
        label="Field conditions"
        description="One a line, field = value (case-insensitive, * for any text); every field must match one of its values"
        autosize
        minRows={2}
        value={fields}
        onChange={(event) => setFields(event.currentTarget.value)}
        error={parsed.ok ? undefined : parsed.problem}
        spellCheck={false}
      />
      <Textarea
        label="Reason"
        required
        autosize
        minRows={2}
        value={reason}
        onChange={(event) => setReason(event.currentTarget.value)}
      />
      {withExpiry && (
        <NumberInput
          label="Expires after (days)"
          description="Empty: never expires"
          min={1}
          max={365}
          value={days}
          onChange={setDays}
          maw={220}
        />
      )}
      <Group>
        <Button
          disabled={!parsed.ok || empty || reason.trim() === ''}
          loading={pending}
          onClick={() =>
            parsed.ok &&
            onSubmit(
              {
                ruleId: ruleId.trim() || null,
                fields: parsed.fields,
                reason: reason.trim(),
                expiresAt:
                  withExpiry && typeof days === 'number'
                    ? new Date(Date.now() + days * 86_400_000).toISOString()
                    : null,
              },
              () => {
                setRuleId('');
                setFields('');
                setReason('');
                setDays('');
              },
            )
          }
        >
          Add {noun}
        </Button>
      </Group>
      {error && <ErrorState error={error} title={`The ${noun} was not added`} />}
    </Stack>
  );
}
