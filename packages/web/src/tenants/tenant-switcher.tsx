/**
 * Switches tenant and stays on the same kind of screen (alerts → alerts), dropping filters and
 * ids that belong to the old tenant.
 */
import { Select } from '@mantine/core';
import { useLocation, useNavigate, useParams } from 'react-router';
import { useTenants } from './use-tenants.ts';

const SECTIONS = ['alerts', 'incidents'] as const;

export function TenantSwitcher() {
  const { tenantId } = useParams();
  const tenants = useTenants();
  const navigate = useNavigate();
  const location = useLocation();
  const section = SECTIONS.find((s) => location.pathname.includes(`/${s}`)) ?? 'incidents';
  return (
    <Select
      aria-label="Tenant"
      placeholder={tenants.isPending ? 'Loading tenants…' : 'Choose a tenant'}
      data={(tenants.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
      value={tenantId ?? null}
      onChange={(value) => {
        if (value) void navigate(`/t/${value}/${section}`);
      }}
      searchable
      nothingFoundMessage="No tenant by that name"
      w={220}
      size="sm"
      allowDeselect={false}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
