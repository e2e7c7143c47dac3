/**
 * The tenant's own rules: what each says of itself (level, status, ATT&CK tags — read from its
 * text in the browser), whether it runs, why live detection skips it if it does not, who added
 * it. Writers turn a rule on or off and delete it (asked twice); anyone may read its text.
 */
import {
  Button,
  Code,
  Group,
  Modal,
  ScrollArea,
  Stack,
  Switch,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { LevelBadge } from '../shared/level-badge.tsx';
import { plural } from '../shared/plural.ts';
import { EmptyState, ErrorState, LoadingState } from '../shared/query-states.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { ruleFacts } from './rule-check.ts';
import { RuleTags } from './rule-tags.tsx';
import type { TenantRule } from './use-detection.ts';
import { useDeleteRule, useSetRuleEnabled, useTenantRules } from './use-detection.ts';

function RuleRow({
  tenantId,
  rule,
  writable,
  toggling,
  onToggle,
  onOpen,
  onDelete,
}: {
  readonly tenantId: string;
  readonly rule: TenantRule;
  readonly writable: boolean;
  readonly toggling: boolean;
  readonly onToggle: (enabled: boolean) => void;
  readonly onOpen: () => void;
  readonly onDelete: () => void;
}) {
  const facts = useMemo(() => ruleFacts(rule.yaml), [rule.yaml]);
  const main = facts[0];
  const tags = [...new Set(facts.flatMap((f) => f.tags))];
  return (
    <Table.Tr>
      <Table.Th scope="row" fw={400}>
        <Stack gap={2}>
          <Text size="sm" fw={600}>
            {rule.title}
          </Text>
          <Text size="xs" c="dimmed">
            {rule.ruleIds.join(', ')}
            {facts.length > 1 ? ` · ${plural(facts.length, 'rule')} in one text` : ''}
            {main?.kind === 'correlation' ? ' · correlation' : ''}
          </Text>
          {rule.problems && rule.problems.length > 0 && (
            <Text size="xs" c="red.9">
              Not running: {rule.problems.join('; ')}
            </Text>
          )}
        </Stack>
      </Table.Th>
      <Table.Td miw={110}>{main?.level ? <LevelBadge level={main.level} /> : '—'}</Table.Td>
      <Table.Td>{main?.status ?? '—'}</Table.Td>
      <Table.Td>
        <RuleTags tags={tags} />
      </Table.Td>
      <Table.Td>
        {writable ? (
          <Switch
            checked={rule.enabled}
            disabled={toggling}
            onChange={(event) => onToggle(event.currentTarget.checked)}
            aria-label={`Enabled: ${rule.title}`}
            label={rule.enabled ? 'on' : 'off'}
          />
        ) : rule.enabled ? (
          'on'
        ) : (
          'off'
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{rule.createdBy}</Text>
        <Text size="xs" c="dimmed">
          {new Date(rule.createdAt).toLocaleString()}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Button size="xs" variant="default" onClick={onOpen} aria-label={`Show ${rule.title}`}>
            Show
          </Button>
          {rule.ruleIds[0] !== undefined && (
            <Button
              size="xs"
              variant="default"
              component={Link}
              to={`/t/${tenantId}/alerts?rule=${encodeURIComponent(rule.ruleIds[0])}`}
              aria-label={`Alerts from ${rule.title}`}
            >
              Alerts
            </Button>
          )}
          {writable && (
            <Button
              size="xs"
              variant="light"
              color="red"
              onClick={onDelete}
              aria-label={`Delete ${rule.title}`}
            >
              Delete
            </Button>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

export function RuleList({
  tenantId,
  writable,
  onEdit,
}: {
  readonly tenantId: string;
  readonly writable: boolean;
  /** Opens the editor with this text (to test a stored rule against events). */
  readonly onEdit: (yaml: string) => void;
}) {
  const rules = useTenantRules(tenantId);
  const toggle = useSetRuleEnabled(tenantId);
  const remove = useDeleteRule(tenantId);
  const [shown, setShown] = useState<TenantRule | undefined>();
  const [deleting, setDeleting] = useState<TenantRule | undefined>();
  const items = rules.data ?? [];

  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        The server&apos;s rule packs (SigmaHQ releases installed on the server) run for every tenant
        unless turned off for it with <Code>cordon rules packs</Code>; the API does not list them
        yet, so only the tenant&apos;s own rules are shown here.
      </Text>
      {rules.isPending ? (
        <LoadingState label="Loading rules…" />
      ) : rules.error ? (
        <ErrorState error={rules.error} retry={() => void rules.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No rules of the tenant's own">
          {writable
            ? 'Write or upload a Sigma rule under “New rule”, test it against events, and save it.'
            : 'Only the server’s rule packs run for this tenant.'}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table aria-label="Tenant rules" withRowBorders highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Rule</Table.Th>
                <Table.Th scope="col">Level</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">ATT&amp;CK and tags</Table.Th>
                <Table.Th scope="col">Enabled</Table.Th>
                <Table.Th scope="col">Added</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((rule) => (
                <RuleRow
                  key={rule.id}
                  tenantId={tenantId}
                  rule={rule}
                  writable={writable}
                  toggling={toggle.isPending && toggle.variables.id === rule.id}
                  onToggle={(enabled) => toggle.mutate({ id: rule.id, enabled })}
                  onOpen={() => setShown(rule)}
                  onDelete={() => {
                    remove.reset();
                    setDeleting(rule);
                  }}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {toggle.error && <ErrorState error={toggle.error} title="The rule was not changed" />}
      <Modal
        opened={shown !== undefined}
        onClose={() => setShown(undefined)}
        title={shown?.title}
        size="xl"
      >
        <Stack>
          <ScrollArea.Autosize mah={480}>
            <Code block>{shown?.yaml}</Code>
          </ScrollArea.Autosize>
          {writable && shown && (
            <Group justify="flex-end">
              <Button
                variant="light"
                onClick={() => {
                  onEdit(shown.yaml);
                  setShown(undefined);
                }}
              >
                Test in the editor
              </Button>
            </Group>
          )}
        </Stack>
      </Modal>
      <ConfirmDialog
        title="Delete this rule?"
        confirmLabel="Delete rule"
        opened={deleting !== undefined}
        pending={remove.isPending}
        error={remove.error}
        onClose={() => setDeleting(undefined)}
        onConfirm={() =>
          deleting && remove.mutate(deleting.id, { onSuccess: () => setDeleting(undefined) })
        }
      >
        “{deleting?.title}” stops matching from the tenant&apos;s next batch of events. Alerts it
        raised stay. The deletion is journaled.
      </ConfirmDialog>
    </Stack>
  );
}
