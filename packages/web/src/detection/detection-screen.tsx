/**
 * Detection (`/t/:tenant/detection?tab=`): the tenant's own Sigma rules, a rule editor that
 * checks and tests a rule in the browser before it is saved, the exclusions and the
 * suppressions. Writers (analysts and up) change them; everyone else reads. The server decides
 * either way.
 */
import { Alert, Stack, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { canWrite, roleIn, useSession } from '../auth/use-session.ts';
import { ExclusionsPanel } from './exclusions-panel.tsx';
import { RuleEditor } from './rule-editor.tsx';
import { RuleList } from './rule-list.tsx';
import { SuppressionsPanel } from './suppressions-panel.tsx';

const TABS = ['rules', 'editor', 'exclusions', 'suppressions'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL: Record<Tab, string> = {
  rules: 'Rules',
  editor: 'New rule',
  exclusions: 'Exclusions',
  suppressions: 'Suppressions',
};

export function DetectionScreen() {
  const { tenantId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const session = useSession();
  const writable = canWrite(roleIn(session.data, tenantId));
  const tabs = TABS.filter((t) => t !== 'editor' || writable);
  const asked = params.get('tab') as Tab | null;
  const tab: Tab = asked && tabs.includes(asked) ? asked : 'rules';
  // The editor's text outlives a look at another tab (and a saved rule clears it).
  const [draft, setDraft] = useState('');
  const [saved, setSaved] = useState<string | undefined>();
  const show = (next: Tab) => setParams(next === 'rules' ? {} : { tab: next }, { replace: true });

  return (
    <Stack gap="md">
      <Stack gap={2}>
        <Title order={1} size="h3">
          Detection
        </Title>
        <Text size="sm" c="dimmed">
          The tenant&apos;s own Sigma rules run beside the server&apos;s rule packs on every event
          it sends; exclusions drop matches before they become alerts, suppressions file alerts as
          suppressed.
        </Text>
      </Stack>
      {saved && (
        <Alert
          color="green"
          role="status"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setSaved(undefined)}
        >
          Saved “{saved}”: it runs on the next batch of events the tenant sends.
        </Alert>
      )}
      <Tabs value={tab} onChange={(value) => value && show(value as Tab)} keepMounted={false}>
        <Tabs.List aria-label="Detection settings">
          {tabs.map((t) => (
            <Tabs.Tab key={t} value={t}>
              {TAB_LABEL[t]}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="rules" pt="md">
          <RuleList
            tenantId={tenantId}
            writable={writable}
            onEdit={(yaml) => {
              setDraft(yaml);
              show('editor');
            }}
          />
        </Tabs.Panel>
        {writable && (
          <Tabs.Panel value="editor" pt="md">
            <RuleEditor
              tenantId={tenantId}
              text={draft}
              onText={setDraft}
              onSaved={(title) => {
                setSaved(title);
                setDraft('');
                show('rules');
              }}
            />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="exclusions" pt="md">
          <ExclusionsPanel tenantId={tenantId} writable={writable} />
        </Tabs.Panel>
        <Tabs.Panel value="suppressions" pt="md">
          <SuppressionsPanel tenantId={tenantId} writable={writable} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
