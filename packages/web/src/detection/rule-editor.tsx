/**
 * Writing a rule: paste it or load a `.yml` file; it is checked as it is typed, in this
 * browser, by the loader and limits the server uses — problems in the loader's words, a YAML
 * problem marked at its line and column (and the cursor put there on request) — then tested
 * against events, then saved. What the server still refuses on save (a clash with a stored
 * rule, a correlation on a rule it does not know, its limits) is shown as it says it.
 */
import {
  Alert,
  Badge,
  Box,
  Button,
  Code,
  FileInput,
  Group,
  List,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/api-error.ts';
import { LevelBadge } from '../shared/level-badge.tsx';
import { plural } from '../shared/plural.ts';
import { ErrorState } from '../shared/query-states.tsx';
import type { RuleCheck, RuleProblem } from './rule-check.ts';
import { checkRuleText } from './rule-check.ts';
import { RuleTags } from './rule-tags.tsx';
import { RuleTestPanel } from './rule-test-panel.tsx';
import { useUploadRule } from './use-detection.ts';

/** The API's limit on a rule text (`CreateTenantRuleRequest`). */
const MAX_RULE_BYTES = 262_144;

/** The line the loader named, with the one before it and a caret under the column. */
function ProblemPlace({ text, problem }: { readonly text: string; readonly problem: RuleProblem }) {
  if (problem.line === undefined) return null;
  const lines = text.split('\n');
  const at = problem.line - 1;
  const shown = lines.slice(Math.max(0, at - 1), at + 1);
  const width = String(problem.line).length;
  const numbered = shown.map(
    (l, i) => `${String(Math.max(0, at - 1) + i + 1).padStart(width)} | ${l.slice(0, 200)}`,
  );
  const caret = `${' '.repeat(width)} | ${' '.repeat(Math.max(0, (problem.column ?? 1) - 1))}^`;
  return (
    <Code block mt={4} aria-hidden>
      {[...numbered, caret].join('\n')}
    </Code>
  );
}

function CheckReport({
  check,
  text,
  onGoTo,
}: {
  readonly check: RuleCheck;
  readonly text: string;
  readonly onGoTo: (problem: RuleProblem) => void;
}) {
  if (check.problems.length > 0)
    return (
      <Alert color="red" title="The rule does not load" role="alert">
        <List size="sm" aria-label="Rule problems" spacing="xs">
          {check.problems.map((p, i) => (
            <List.Item key={`${i}-${p.message}`}>
              <Text size="sm" component="span">
                {p.message}
              </Text>
              {p.line !== undefined && (
                <Button size="compact-xs" variant="subtle" ml="xs" onClick={() => onGoTo(p)}>
                  Go to line {p.line}
                </Button>
              )}
              <ProblemPlace text={text} problem={p} />
            </List.Item>
          ))}
        </List>
      </Alert>
    );
  return (
    <Alert color="green" title={`Loads: ${plural(check.rules.length, 'rule')}`} role="status">
      <Stack gap="xs">
        {check.rules.map((r) => (
          <Group key={`${r.ref}-${r.title}`} gap="xs">
            <Text size="sm" fw={600}>
              {r.title}
            </Text>
            <Badge size="sm" variant="outline" color="gray" c="dark.9">
              {r.kind}
            </Badge>
            {r.level && <LevelBadge level={r.level} />}
            {r.status && <Text size="sm">{r.status}</Text>}
            {r.logsource && (
              <Text size="sm" c="dimmed">
                {r.logsource}
              </Text>
            )}
            <RuleTags tags={r.tags} />
          </Group>
        ))}
        {check.warnings.map((w) => (
          <Text key={w} size="sm" c="yellow.9">
            {w}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

function SaveRefusal({ error }: { readonly error: Error }) {
  const problems = error instanceof ApiError ? error.details?.['problems'] : undefined;
  if (!Array.isArray(problems) || problems.length === 0)
    return <ErrorState error={error} title="The rule was not saved" />;
  return (
    <Alert color="red" title="The server refused the rule" role="alert">
      <List size="sm" aria-label="Server problems">
        {problems.map((p) => (
          <List.Item key={String(p)}>{String(p)}</List.Item>
        ))}
      </List>
    </Alert>
  );
}

export function RuleEditor({
  tenantId,
  text,
  onText,
  onSaved,
}: {
  readonly tenantId: string;
  readonly text: string;
  readonly onText: (text: string) => void;
  readonly onSaved: (title: string) => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [checked] = useDebouncedValue(text, 250);
  const check = useMemo(() => checkRuleText(checked), [checked]);
  const upload = useUploadRule(tenantId);
  const area = useRef<HTMLTextAreaElement>(null);
  const current = checked === text;

  const load = (chosen: File | null) => {
    setFile(chosen);
    setFileProblem(null);
    if (!chosen) return;
    if (chosen.size > MAX_RULE_BYTES) {
      setFileProblem(
        `${chosen.name} is larger than ${MAX_RULE_BYTES / 1024} KiB, the server's limit`,
      );
      return;
    }
    void chosen
      .text()
      .then(onText, (error: unknown) =>
        setFileProblem(`${chosen.name} could not be read: ${String(error)}`),
      );
  };

  const goTo = (problem: RuleProblem) => {
    const input = area.current;
    if (!input || problem.line === undefined) return;
    const lines = text.split('\n');
    const before = lines.slice(0, problem.line - 1).join('\n').length + (problem.line > 1 ? 1 : 0);
    const at = Math.min(before + Math.max(0, (problem.column ?? 1) - 1), text.length);
    input.focus();
    input.setSelectionRange(at, at);
  };

  return (
    <Stack gap="md">
      <Stack gap={2}>
        <Title order={2} size="h4">
          New rule
        </Title>
        <Text size="sm" c="dimmed">
          Paste a Sigma rule (one or more documents: detections and correlations) or load a file. It
          is checked in this browser as you type, by the loader and limits the server applies to
          tenant rules; nothing is sent until you save.
        </Text>
      </Stack>
      <FileInput
        label="Rule file"
        description=".yml or .yaml, at most 256 KiB; its text replaces the editor's"
        accept=".yml,.yaml,application/yaml,text/yaml"
        value={file}
        onChange={load}
        clearable
        clearButtonProps={{ 'aria-label': 'Clear the rule file' }}
        maw={420}
      />
      {fileProblem && (
        <Text size="sm" c="red.9" role="alert">
          {fileProblem}
        </Text>
      )}
      <Textarea
        ref={area}
        label="Rule (Sigma YAML)"
        autosize
        minRows={10}
        maxRows={24}
        value={text}
        onChange={(event) => onText(event.currentTarget.value)}
        spellCheck={false}
        styles={{
          input: {
            fontFamily: 'var(--mantine-font-family-monospace)',
            whiteSpace: 'pre',
            overflowX: 'auto',
          },
        }}
      />
      {text.trim() !== '' && current && <CheckReport check={check} text={text} onGoTo={goTo} />}
      <RuleTestPanel
        tenantId={tenantId}
        check={current && text.trim() !== '' ? check : undefined}
      />
      <Box>
        <Button
          disabled={!current || text.trim() === '' || check.problems.length > 0}
          loading={upload.isPending}
          onClick={() =>
            upload.mutate({ yaml: text }, { onSuccess: (rule) => onSaved(rule.title) })
          }
        >
          Save rule
        </Button>
      </Box>
      {upload.error && <SaveRefusal error={upload.error} />}
    </Stack>
  );
}
