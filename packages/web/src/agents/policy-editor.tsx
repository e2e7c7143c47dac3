/**
 * The tenant's containment policy: which alerts isolate a host automatically (or ask an
 * incident lead), and how many automatic isolations a window allows. The server validates; a
 * refusal is shown at the field it names. Option rules and durations are kept as they are
 * (edited through the API). Only roles that may change it see the controls.
 */
import {
  Alert,
  Button,
  Group,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { ErrorState, LoadingState } from '../shared/query-states.tsx';
import { policyProblem, problemAt } from './policy-errors.ts';
import type { ContainmentRule, Policy } from './use-agents.ts';
import { usePolicy, useSavePolicy } from './use-agents.ts';

const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
const ROLES = ['workstation', 'server', 'any'] as const;
const RESPONSES = [
  { value: 'isolate', label: 'isolate automatically' },
  { value: 'request-approval', label: 'ask an incident lead' },
] as const;

interface Draft {
  readonly rules: readonly ContainmentRule[];
  readonly maxIsolations: number | string;
  readonly windowMinutes: number | string;
}

const draftOf = (p: Policy): Draft => ({
  rules: p.rules,
  maxIsolations: p.autoIsolationLimit.maxIsolations,
  windowMinutes: p.autoIsolationLimit.windowMinutes,
});

function RuleRow({
  index,
  rule,
  editable,
  error,
  onChange,
  onRemove,
}: {
  index: number;
  rule: ContainmentRule;
  editable: boolean;
  error: string | undefined;
  onChange: (rule: ContainmentRule) => void;
  onRemove: () => void;
}) {
  const n = index + 1;
  return (
    <Table.Tr>
      <Table.Td>
        <Select
          aria-label={`Rule ${n}: minimum severity`}
          data={[...SEVERITIES]}
          value={rule.minSeverity}
          onChange={(v) =>
            onChange({ ...rule, minSeverity: SEVERITIES.find((s) => s === v) ?? rule.minSeverity })
          }
          disabled={!editable}
          allowDeselect={false}
          size="xs"
          comboboxProps={{ withinPortal: true }}
        />
      </Table.Td>
      <Table.Td>
        <Select
          aria-label={`Rule ${n}: asset role`}
          data={[...ROLES]}
          value={rule.assetRole}
          onChange={(v) =>
            onChange({ ...rule, assetRole: ROLES.find((r) => r === v) ?? rule.assetRole })
          }
          disabled={!editable}
          allowDeselect={false}
          size="xs"
          comboboxProps={{ withinPortal: true }}
        />
      </Table.Td>
      <Table.Td>
        <Select
          aria-label={`Rule ${n}: response`}
          data={RESPONSES.map((r) => ({ ...r }))}
          value={rule.response}
          onChange={(v) =>
            onChange({ ...rule, response: v === 'isolate' ? 'isolate' : 'request-approval' })
          }
          disabled={!editable}
          allowDeselect={false}
          size="xs"
          error={error}
          comboboxProps={{ withinPortal: true }}
        />
      </Table.Td>
      {editable && (
        <Table.Td>
          <Button size="compact-xs" variant="subtle" color="red" onClick={onRemove}>
            Remove rule {n}
          </Button>
        </Table.Td>
      )}
    </Table.Tr>
  );
}

export function PolicyEditor({ tenantId, editable }: { tenantId: string; editable: boolean }) {
  const policy = usePolicy(tenantId);
  const save = useSavePolicy(tenantId);
  const [draft, setDraft] = useState<Draft | undefined>();
  useEffect(() => {
    if (policy.data) setDraft(draftOf(policy.data));
  }, [policy.data]);
  if (policy.isPending || !draft) return <LoadingState label="Loading the containment policy…" />;
  if (policy.error) return <ErrorState error={policy.error} retry={() => void policy.refetch()} />;
  const problem = policyProblem(save.error);
  const { data } = policy;
  const setRule = (i: number, rule: ContainmentRule) =>
    setDraft({ ...draft, rules: draft.rules.map((r, j) => (j === i ? rule : r)) });

  return (
    <Stack gap="sm" component="section" aria-labelledby="policy-heading">
      <Group justify="space-between">
        <Title order={2} size="h4" id="policy-heading">
          Containment policy
        </Title>
        <Text size="xs" c="dimmed">
          {data.isDefault
            ? 'the default policy (never saved for this tenant)'
            : `saved ${data.updatedAt ? new Date(data.updatedAt).toLocaleString() : ''} by ${data.updatedBy ?? 'unknown'}`}
        </Text>
      </Group>
      <Text size="sm">
        When an alert at or above a severity hits an asset of a role, the first matching rule
        decides: isolate the host at once, or hold the isolation for an incident lead.
      </Text>
      <Table aria-label="Containment rules" withRowBorders>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Minimum severity</Table.Th>
            <Table.Th scope="col">Asset role</Table.Th>
            <Table.Th scope="col">Response</Table.Th>
            {editable && <Table.Th scope="col">Remove</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {draft.rules.map((rule, i) => (
            <RuleRow
              key={i}
              index={i}
              rule={rule}
              editable={editable}
              error={problemAt(problem, `rules.${i}`)}
              onChange={(r) => setRule(i, r)}
              onRemove={() => setDraft({ ...draft, rules: draft.rules.filter((_, j) => j !== i) })}
            />
          ))}
        </Table.Tbody>
      </Table>
      {draft.rules.length === 0 && (
        <Text size="sm">No rules: nothing is isolated automatically.</Text>
      )}
      <Group align="flex-start">
        <NumberInput
          label="Automatic isolations at most"
          value={draft.maxIsolations}
          onChange={(v) => setDraft({ ...draft, maxIsolations: v })}
          disabled={!editable}
          allowDecimal={false}
          w={230}
          error={problemAt(problem, 'autoIsolationLimit.maxIsolations')}
        />
        <NumberInput
          label="Per window of minutes"
          value={draft.windowMinutes}
          onChange={(v) => setDraft({ ...draft, windowMinutes: v })}
          disabled={!editable}
          allowDecimal={false}
          w={230}
          error={problemAt(problem, 'autoIsolationLimit.windowMinutes')}
        />
      </Group>
      {problem && problem.path === undefined && (
        <Alert color="red" title="The policy was not saved" role="alert">
          {problem.message}
        </Alert>
      )}
      {problem?.path !== undefined && (
        <Text size="sm" c="red.9" role="alert">
          The policy was not saved: {problem.path} {problem.message}
        </Text>
      )}
      {save.isSuccess && !save.isPending && (
        <Text size="sm" role="status">
          Policy saved.
        </Text>
      )}
      {editable && (
        <Group>
          <Button
            variant="light"
            onClick={() =>
              setDraft({
                ...draft,
                rules: [
                  ...draft.rules,
                  {
                    minSeverity: 'critical',
                    assetRole: 'workstation',
                    response: 'request-approval',
                  },
                ],
              })
            }
          >
            Add rule
          </Button>
          <Button
            loading={save.isPending}
            onClick={() =>
              save.mutate({
                rules: [...draft.rules],
                autoIsolationLimit: {
                  maxIsolations: Number(draft.maxIsolations),
                  windowMinutes: Number(draft.windowMinutes),
                },
                optionRules: data.optionRules,
                optionDurations: data.optionDurations,
              })
            }
          >
            Save policy
          </Button>
          <Button
            variant="subtle"
            onClick={() => {
              save.reset();
              setDraft(draftOf(data));
            }}
          >
            Discard changes
          </Button>
        </Group>
      )}
    </Stack>
  );
}
