/**
 * Saved views of the alert queue: a name for the filters, grouping and sort in the address.
 * Kept in this browser's localStorage, per user and tenant (nothing leaves the browser; another
 * browser or a cleared storage starts empty). A view opens by its address, as a bookmark would.
 */
import { ActionIcon, Button, Group, Menu, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';

interface SavedView {
  readonly name: string;
  /** The query string, without `?`, less the open alert and the page. */
  readonly query: string;
}

const MAX_VIEWS = 50;

function storageKey(user: string, tenantId: string): string {
  return `cordon.saved-views.alerts.${user}.${tenantId}`;
}

function readViews(key: string): SavedView[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (v): v is SavedView =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as SavedView).name === 'string' &&
        typeof (v as SavedView).query === 'string',
    );
  } catch {
    return [];
  }
}

function viewQuery(search: string): string {
  const params = new URLSearchParams(search);
  params.delete('alert');
  params.delete('page');
  return params.toString();
}

export function SavedViews({
  user,
  tenantId,
}: {
  readonly user: string;
  readonly tenantId: string;
}) {
  const key = storageKey(user, tenantId);
  const [views, setViews] = useState<SavedView[]>(() => readViews(key));
  const [saving, setSaving] = useState(false);
  const [name, setName] = useState('');
  const location = useLocation();
  const navigate = useNavigate();
  const store = (next: SavedView[]) => {
    localStorage.setItem(key, JSON.stringify(next));
    setViews(next);
  };
  const save = () => {
    const view = { name: name.trim(), query: viewQuery(location.search) };
    store([...views.filter((v) => v.name !== view.name), view].slice(-MAX_VIEWS));
    setName('');
    setSaving(false);
  };

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default" size="sm">
            Saved views
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {views.length === 0 && <Menu.Label>No saved views yet</Menu.Label>}
          {views.map((v) => (
            <Menu.Item
              key={v.name}
              onClick={() => void navigate(`${location.pathname}?${v.query}`)}
            >
              {v.name}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item onClick={() => setSaving(true)}>Save this view…</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal opened={saving} onClose={() => setSaving(false)} title="Save this view">
        <Stack>
          <Text size="sm">
            The filters, grouping and sort as they are now; kept in this browser for you.
          </Text>
          <TextInput
            label="View name"
            value={name}
            maxLength={80}
            onChange={(e) => setName(e.currentTarget.value)}
            data-autofocus
          />
          <Button disabled={name.trim() === ''} onClick={save}>
            Save view
          </Button>
          {views.length > 0 && (
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                Saved views
              </Text>
              {views.map((v) => (
                <Group key={v.name} justify="space-between">
                  <Text size="sm">{v.name}</Text>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`Delete view ${v.name}`}
                    onClick={() => store(views.filter((x) => x.name !== v.name))}
                  >
                    ×
                  </ActionIcon>
                </Group>
              ))}
            </Stack>
          )}
        </Stack>
      </Modal>
    </>
  );
}
