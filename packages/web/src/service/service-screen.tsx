/**
 * Service: what the MSSP owes the tenant — the SLA results (at risk and breached first to the
 * eye) and the contract with the regulatory regimes that apply. Read-only, and readable by
 * everyone with access to the tenant, client viewers included.
 */
import { Stack, Title } from '@mantine/core';
import { useParams } from 'react-router';
import { RegimesPanel } from './regimes-panel.tsx';
import { SlaPanel } from './sla-panel.tsx';

export function ServiceScreen() {
  const { tenantId = '' } = useParams();
  return (
    <>
      <Title order={1} size="h3" mb="md">
        Service
      </Title>
      <Stack gap="lg">
        <SlaPanel tenantId={tenantId} />
        <RegimesPanel tenantId={tenantId} />
      </Stack>
    </>
  );
}
