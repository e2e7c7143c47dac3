/**
 * One incident: its phase stepper (what the next phase still needs), then its records in tabs
 * — facts, observables, notes, tasks, containment, evidence, journal. The tab is in the URL.
 */
import { Anchor, Badge, Breadcrumbs, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { plural } from '../../shared/plural.ts';
import { Link, useParams, useSearchParams } from 'react-router';
import { PHASE_LABEL } from '../../api/vocabulary.ts';
import {
  canApproveContainment,
  canOverrideGuard,
  canWrite,
  roleIn,
  useSession,
} from '../../auth/use-session.ts';
import { ErrorState, LoadingState } from '../../shared/query-states.tsx';
import { useIncident, useLinkedAlerts } from '../use-incidents.ts';
import { ContainmentPanel } from './containment-panel.tsx';
import { EvidencePanel } from './evidence-panel.tsx';
import { FactsPanel } from './facts-panel.tsx';
import { JournalPanel } from './journal-panel.tsx';
import { NotesPanel } from './notes-panel.tsx';
import { ObservablesPanel } from './observables-panel.tsx';
import { PhaseStepper } from './phase-stepper.tsx';
import { TasksPanel } from './tasks-panel.tsx';
import { LevelBadge } from '../../shared/level-badge.tsx';
import { AnalysisPanel } from '../response/analysis-panel.tsx';
import { ContainmentOptionsPanel } from '../response/containment-options-panel.tsx';
import { IdentificationPanel } from '../response/identification-panel.tsx';
import { PlaybookPanel } from '../response/playbook-panel.tsx';
import { ResponseStatusPanel } from '../response/response-status-panel.tsx';

const TABS = [
  'facts',
  'identification',
  'observables',
  'notes',
  'tasks',
  'playbook',
  'containment',
  'analysis',
  'progress',
  'evidence',
  'journal',
] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL: Readonly<Record<Tab, string>> = {
  facts: 'Summary and facts',
  identification: 'Identification',
  playbook: 'Playbook',
  analysis: 'Analysis',
  progress: 'Progress and metrics',
  observables: 'Observables',
  notes: 'Notes',
  tasks: 'Tasks',
  containment: 'Containment',
  evidence: 'Evidence',
  journal: 'Journal',
};

export function IncidentScreen() {
  const { tenantId = '', incidentId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as Tab)
    : 'facts';
  const incident = useIncident(tenantId, incidentId);
  const alerts = useLinkedAlerts(tenantId, incidentId);
  const session = useSession();
  const role = roleIn(session.data, tenantId);
  const writable = canWrite(role);

  if (incident.isPending) return <LoadingState label="Loading the incident…" />;
  if (incident.error)
    return <ErrorState error={incident.error} retry={() => void incident.refetch()} />;
  const i = incident.data;

  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to={`/t/${tenantId}/incidents`}>
          Incidents
        </Anchor>
        <Text size="sm">{i.reference}</Text>
      </Breadcrumbs>
      <Group gap="sm" align="center">
        <Title order={1} size="h3">
          {i.reference} · {i.title}
        </Title>
        <LevelBadge level={i.severity} />
        <Badge variant="outline">{PHASE_LABEL[i.phase]}</Badge>
      </Group>
      <Text size="sm" c="dimmed">
        Opened {new Date(i.createdAt).toLocaleString()}
        {alerts.data ? ` · ${plural(alerts.data.length, 'linked alert')}` : ''}
        {i.acknowledgedAt
          ? ` · acknowledged ${new Date(i.acknowledgedAt).toLocaleString()}`
          : ' · not acknowledged'}
      </Text>
      <PhaseStepper
        tenantId={tenantId}
        incident={i}
        writable={writable}
        canOverride={canOverrideGuard(role)}
      />
      <Tabs
        value={tab}
        onChange={(value) => value && setParams({ tab: value }, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List aria-label="Incident records">
          {TABS.map((t) => (
            <Tabs.Tab key={t} value={t}>
              {TAB_LABEL[t]}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="facts" pt="md">
          <FactsPanel tenantId={tenantId} incident={i} writable={writable} />
        </Tabs.Panel>
        <Tabs.Panel value="identification" pt="md">
          <IdentificationPanel tenantId={tenantId} incidentId={i.id} writable={writable} />
        </Tabs.Panel>
        <Tabs.Panel value="observables" pt="md">
          <ObservablesPanel tenantId={tenantId} incidentId={i.id} writable={writable} />
        </Tabs.Panel>
        <Tabs.Panel value="notes" pt="md">
          <NotesPanel tenantId={tenantId} incidentId={i.id} writable={writable} />
        </Tabs.Panel>
        <Tabs.Panel value="tasks" pt="md">
          <TasksPanel
            tenantId={tenantId}
            incidentId={i.id}
            currentPhase={i.phase}
            writable={writable}
          />
        </Tabs.Panel>
        <Tabs.Panel value="playbook" pt="md">
          <PlaybookPanel
            tenantId={tenantId}
            incidentId={i.id}
            writable={writable}
            canApprove={canApproveContainment(role)}
          />
        </Tabs.Panel>
        <Tabs.Panel value="containment" pt="md">
          <Stack gap="xl">
            <ContainmentOptionsPanel
              tenantId={tenantId}
              incidentId={i.id}
              canDecide={writable}
              canApprove={canApproveContainment(role)}
            />
            <ContainmentPanel
              tenantId={tenantId}
              incidentId={i.id}
              canApprove={canApproveContainment(role)}
            />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="analysis" pt="md">
          <AnalysisPanel tenantId={tenantId} incidentId={i.id} />
        </Tabs.Panel>
        <Tabs.Panel value="progress" pt="md">
          <ResponseStatusPanel tenantId={tenantId} incidentId={i.id} />
        </Tabs.Panel>
        <Tabs.Panel value="evidence" pt="md">
          <EvidencePanel tenantId={tenantId} incidentId={i.id} />
        </Tabs.Panel>
        <Tabs.Panel value="journal" pt="md">
          <JournalPanel tenantId={tenantId} incidentId={i.id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
