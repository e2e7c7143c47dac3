/**
 * Administration of a tenant: its members (add a user with a role), its API tokens (create
 * with a role, the secret shown once; revoke; last used), and lifting a sign-in lock. Shown
 * to platform admins, the only role the server lets manage access; the server decides.
 */
import {
  Alert,
  Button,
  Code,
  Group,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useParams } from 'react-router';
import type { Role } from '../api/api-types.ts';
import { ErrorState, LoadingState } from '../shared/query-states.tsx';
import {
  useAddMember,
  useCreateToken,
  useMembers,
  useRevokeToken,
  useTokens,
  useUnlockSignIn,
} from './use-admin.ts';

/** Roles granted within a tenant (platform admin is not a tenant role; ingest is for tokens). */
const TENANT_ROLES = [
  'incident_lead',
  'responder',
  'analyst',
  'client_viewer',
] as const satisfies readonly Role[];
const TOKEN_ROLES = [...TENANT_ROLES, 'ingest'] as const satisfies readonly Role[];

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

function Members({ tenantId }: { tenantId: string }) {
  const members = useMembers(tenantId);
  const add = useAddMember(tenantId);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  return (
    <Stack gap="xs" component="section" aria-labelledby="members-heading">
      <Title order={2} size="h4" id="members-heading">
        Users
      </Title>
      {members.isPending ? (
        <LoadingState label="Loading users…" />
      ) : members.error ? (
        <ErrorState error={members.error} />
      ) : (
        <Table aria-label="Users" withRowBorders>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Email</Table.Th>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Role</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {members.data.map((m) => (
              <Table.Tr key={m.userId}>
                <Table.Th scope="row">{m.email}</Table.Th>
                <Table.Td>{m.displayName}</Table.Td>
                <Table.Td>{m.role.replace('_', ' ')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <form
        aria-label="Add a user"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate(
            { email, password, role },
            {
              onSuccess: () => {
                setEmail('');
                setPassword('');
              },
            },
          );
        }}
      >
        <Group align="flex-end">
          <TextInput
            label="Email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label="Initial password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            w={220}
          />
          <Select
            label="Role"
            data={TENANT_ROLES.map((r) => ({ value: r, label: r.replace('_', ' ') }))}
            value={role}
            onChange={(v) => setRole(TENANT_ROLES.find((r) => r === v) ?? 'analyst')}
            allowDeselect={false}
            w={170}
            comboboxProps={{ withinPortal: true }}
          />
          <Button type="submit" loading={add.isPending}>
            Add user
          </Button>
        </Group>
      </form>
      {add.error && (
        <Alert color="red" role="alert" title="The user was not added">
          {add.error.message}
        </Alert>
      )}
    </Stack>
  );
}

function Tokens({ tenantId }: { tenantId: string }) {
  const tokens = useTokens(tenantId);
  const create = useCreateToken(tenantId);
  const revoke = useRevokeToken(tenantId);
  const [name, setName] = useState('');
  const [role, setRole] = useState<(typeof TOKEN_ROLES)[number]>('ingest');
  return (
    <Stack gap="xs" component="section" aria-labelledby="tokens-heading">
      <Title order={2} size="h4" id="tokens-heading">
        API tokens
      </Title>
      <form
        aria-label="Create an API token"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ role, ...(name.trim() ? { name: name.trim() } : {}) });
        }}
      >
        <Group align="flex-end">
          <TextInput
            label="Token name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <Select
            label="Token role"
            data={TOKEN_ROLES.map((r) => ({ value: r, label: r.replace('_', ' ') }))}
            value={role}
            onChange={(v) => setRole(TOKEN_ROLES.find((r) => r === v) ?? 'ingest')}
            allowDeselect={false}
            w={170}
            comboboxProps={{ withinPortal: true }}
          />
          <Button type="submit" loading={create.isPending}>
            Create token
          </Button>
        </Group>
      </form>
      {create.data && (
        <Alert color="yellow" title="New token (shown once: copy it now)">
          <Code block aria-label="New token secret">
            {create.data.token}
          </Code>
        </Alert>
      )}
      {(create.error ?? revoke.error) && (
        <Alert color="red" role="alert" title="Refused">
          {(create.error ?? revoke.error)?.message}
        </Alert>
      )}
      {tokens.isPending ? (
        <LoadingState label="Loading tokens…" />
      ) : tokens.error ? (
        <ErrorState error={tokens.error} />
      ) : (
        <Table aria-label="API tokens" withRowBorders>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Role</Table.Th>
              <Table.Th scope="col">Created</Table.Th>
              <Table.Th scope="col">Last used</Table.Th>
              <Table.Th scope="col">State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.data.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Th scope="row">{t.name}</Table.Th>
                <Table.Td>{t.role.replace('_', ' ')}</Table.Td>
                <Table.Td>
                  {when(t.createdAt)} by {t.createdBy}
                </Table.Td>
                <Table.Td>{when(t.lastUsedAt)}</Table.Td>
                <Table.Td>
                  {t.revokedAt ? (
                    `revoked ${when(t.revokedAt)}`
                  ) : (
                    <Button
                      size="compact-xs"
                      color="red"
                      variant="light"
                      onClick={() => revoke.mutate(t.id)}
                    >
                      Revoke {t.name}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function Unlock({ tenantId }: { tenantId: string }) {
  const unlock = useUnlockSignIn(tenantId);
  const [email, setEmail] = useState('');
  return (
    <Stack gap="xs" component="section" aria-labelledby="unlock-heading">
      <Title order={2} size="h4" id="unlock-heading">
        Locked sign-ins
      </Title>
      <form
        aria-label="Unlock a sign-in"
        onSubmit={(e) => {
          e.preventDefault();
          unlock.mutate(email);
        }}
      >
        <Group align="flex-end">
          <TextInput
            label="Account email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <Button type="submit" variant="light" loading={unlock.isPending}>
            Unlock sign-in
          </Button>
        </Group>
      </form>
      {unlock.data && (
        <Text size="sm" role="status">
          {unlock.data.wasRestricted
            ? `${unlock.data.email} was locked and may sign in again.`
            : `${unlock.data.email} was not locked.`}
        </Text>
      )}
      {unlock.error && (
        <Alert color="red" role="alert" title="Not unlocked">
          {unlock.error.message}
        </Alert>
      )}
    </Stack>
  );
}

export function AdminScreen() {
  const { tenantId = '' } = useParams();
  return (
    <Stack gap="lg">
      <Title order={1} size="h3">
        Administration
      </Title>
      <Members tenantId={tenantId} />
      <Tokens tenantId={tenantId} />
      <Unlock tenantId={tenantId} />
    </Stack>
  );
}
