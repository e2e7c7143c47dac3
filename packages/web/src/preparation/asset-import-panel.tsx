/**
 * Importing an asset inventory (CSV with a header row, or a JSON array of the same keys): the
 * analyst pastes or loads the file, checks it with a dry run that changes nothing, reads what
 * would be created, updated and refused (by line, with the reason), and then imports it.
 */
import {
  Alert,
  Button,
  FileButton,
  Group,
  List,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { ErrorState } from '../shared/query-states.tsx';
import type { AssetImport, ImportReport } from './use-preparation.ts';
import { useImportAssets } from './use-preparation.ts';

/** The server refuses more; a browser should not try to hold more in a text area either. */
const MAX_FILE_BYTES = 20_000_000;
const COLUMNS =
  'name, kind, addresses, mac, os, owner, location, criticality, tags, segment, redundancy_group, agent, status';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function ReportView({ report }: { readonly report: ImportReport }) {
  const changed = report.created.length + report.updated.length;
  return (
    <Alert
      color={report.refused.length > 0 ? 'yellow' : 'green'}
      title={
        report.dryRun
          ? `Dry run: ${plural(report.rows, 'row')} read, nothing changed`
          : `Imported: ${plural(changed, 'asset')} changed`
      }
      role="status"
    >
      <Stack gap={4}>
        <Text size="sm">
          {report.dryRun ? 'Would create' : 'Created'} {report.created.length}
          {report.created.length > 0
            ? ` (${report.created.slice(0, 10).join(', ')}${report.created.length > 10 ? ', …' : ''})`
            : ''}
          {' · '}
          {report.dryRun ? 'would update' : 'updated'} {report.updated.length} · unchanged{' '}
          {report.unchanged} · refused {report.refused.length}
        </Text>
        {report.refused.length > 0 && (
          <List size="sm" aria-label="Refused rows">
            {report.refused.slice(0, 50).map((row) => (
              <List.Item key={`${row.line}-${row.reason}`}>
                line {row.line}: {row.reason}
              </List.Item>
            ))}
          </List>
        )}
      </Stack>
    </Alert>
  );
}

export function AssetImportPanel({ tenantId }: { readonly tenantId: string }) {
  const [format, setFormat] = useState<AssetImport['format']>('csv');
  const [content, setContent] = useState('');
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const run = useImportAssets(tenantId);
  const submit = (dryRun: boolean) => run.mutate({ format, content, dryRun });
  const load = (file: File | null) => {
    setFileProblem(null);
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setFileProblem(`${file.name} is larger than 20 MB: split it`);
      return;
    }
    if (file.name.toLowerCase().endsWith('.json')) setFormat('json');
    else if (file.name.toLowerCase().endsWith('.csv')) setFormat('csv');
    void file.text().then(setContent);
  };
  return (
    <Stack gap="sm">
      <Title order={2} size="h4">
        Import assets
      </Title>
      <Text size="sm" c="dimmed">
        CSV with a header row ({COLUMNS}) or a JSON array with the same keys. Assets are matched by
        name; a dry run shows what would change.
      </Text>
      <Group gap="sm">
        <SegmentedControl
          aria-label="Format"
          value={format}
          onChange={(value) => setFormat(value)}
          data={[
            { value: 'csv', label: 'CSV' },
            { value: 'json', label: 'JSON' },
          ]}
        />
        <FileButton onChange={load} accept=".csv,.json,text/csv,application/json">
          {(props) => (
            <Button {...props} variant="default" size="xs">
              Load a file…
            </Button>
          )}
        </FileButton>
      </Group>
      {fileProblem && (
        <Text size="sm" c="red" role="alert">
          {fileProblem}
        </Text>
      )}
      <Textarea
        label="Inventory"
        autosize
        minRows={6}
        maxRows={16}
        value={content}
        onChange={(event) => setContent(event.currentTarget.value)}
        styles={{
          input: {
            fontFamily: 'var(--mantine-font-family-monospace)',
            whiteSpace: 'pre',
            overflowX: 'auto',
          },
        }}
      />
      <Group gap="sm">
        <Button
          variant="light"
          disabled={content.trim() === ''}
          loading={run.isPending && run.variables.dryRun === true}
          onClick={() => submit(true)}
        >
          Check (dry run)
        </Button>
        <Button
          disabled={content.trim() === ''}
          loading={run.isPending && run.variables.dryRun === false}
          onClick={() => submit(false)}
        >
          Import
        </Button>
      </Group>
      {run.error && <ErrorState error={run.error} />}
      {run.data && <ReportView report={run.data} />}
    </Stack>
  );
}
