/** The frame around every signed-in screen: header with navigation, tenant switcher and who-am-I. */
import {
  AppShell,
  Badge,
  Button,
  Group,
  Menu,
  NavLink,
  Stack,
  Text,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { plural } from '../shared/plural.ts';
import { Suspense } from 'react';
import { NavLink as RouterNavLink, Outlet, useNavigate, useParams } from 'react-router';
import { roleIn, useSession, useSignOut } from '../auth/use-session.ts';
import { LoadingState } from '../shared/query-states.tsx';
import { TenantSwitcher } from '../tenants/tenant-switcher.tsx';
import { useLiveUpdates } from '../live/use-live-updates.ts';
import { LiveIndicator } from '../live/live-indicator.tsx';

export function AppLayout() {
  const { tenantId } = useParams();
  const session = useSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const live = useLiveUpdates(tenantId);
  const me = session.data;
  const who = me?.user?.email ?? (me?.kind === 'token' ? 'API token' : 'unknown');
  const role = roleIn(me, tenantId);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: 'sm' }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="md" wrap="nowrap">
            <Text fw={700} size="lg" component="span">
              Cordon
            </Text>
            <TenantSwitcher />
            {tenantId && <LiveIndicator state={live} />}
          </Group>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <UnstyledButton>
                <Group gap="xs">
                  <Text size="sm">
                    <VisuallyHidden>Signed in as </VisuallyHidden>
                    {who}
                  </Text>
                  {role && (
                    <Badge variant="light" size="sm">
                      {role.replace('_', ' ')}
                    </Badge>
                  )}
                </Group>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>
                {me?.user?.platformAdmin
                  ? 'Platform admin'
                  : plural(me?.memberships.length ?? 0, 'tenant')}
              </Menu.Label>
              <Menu.Item
                onClick={() =>
                  signOut.mutate(undefined, {
                    onSettled: () => void navigate('/sign-in', { replace: true }),
                  })
                }
              >
                Sign out
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        <Stack gap={2}>
          <NavLink variant="filled" component={RouterNavLink} to="/overview" label="Overview" />
          {tenantId ? (
            <>
              <NavLink
                variant="filled"
                component={RouterNavLink}
                to={`/t/${tenantId}/alerts`}
                label="Alert queue"
              />
              <NavLink
                component={RouterNavLink}
                to={`/t/${tenantId}/incidents`}
                label="Incidents"
              />
              <NavLink
                component={RouterNavLink}
                to={`/t/${tenantId}/preparation`}
                label="Preparation"
              />
              <NavLink component={RouterNavLink} to={`/t/${tenantId}/service`} label="Service" />
              <NavLink component={RouterNavLink} to={`/t/${tenantId}/search`} label="Search" />
              <NavLink component={RouterNavLink} to={`/t/${tenantId}/assets`} label="Assets" />
              <NavLink component={RouterNavLink} to={`/t/${tenantId}/network`} label="Network" />
              <NavLink component={RouterNavLink} to={`/t/${tenantId}/agents`} label="Agents" />
              <NavLink
                component={RouterNavLink}
                to={`/t/${tenantId}/detection`}
                label="Detection"
              />
              {role === 'platform_admin' && (
                <NavLink
                  component={RouterNavLink}
                  to={`/t/${tenantId}/admin`}
                  label="Administration"
                />
              )}
            </>
          ) : (
            <Text size="xs" c="dimmed" px="sm" py="xs">
              Choose a tenant for its alerts and incidents.
            </Text>
          )}
        </Stack>
        <Button variant="subtle" size="xs" mt="auto" component="a" href="/api/v1/openapi.json">
          API reference
        </Button>
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<LoadingState label="Loading…" />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
